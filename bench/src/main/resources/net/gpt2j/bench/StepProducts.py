# One decode step's matrix products and nothing else, on oneDNN's linear as the runtime's forward runs
# them on the CPU (runtime Gpt2Forward.py, linear): the engine limit's oneDNN side (EngineLimit).
# weights: per block qkv [E, 3E], its bias, proj [E, E], bias, fc [E, 4E], bias, mlp [4E, E], bias; then
# the head [E, V]; each matrix as its transposed view, [out, in], made once at load, as the runtime
# passes them (ScriptedForward.productMatrix). x [rows, E], x4 [rows, 4E]. Returns the head's logits.
class StepProducts(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  def forward(self: __torch__.StepProducts,
    weights: List[Tensor],
    x: Tensor,
    x4: Tensor) -> Tensor:
    blocks = (len(weights) - 1) // 8
    for layer in range(blocks):
      base = 8 * layer
      qkv = self.linear(x, weights[base], weights[base + 1])
      proj = self.linear(x, weights[base + 2], weights[base + 3])
      fc = self.linear(x, weights[base + 4], weights[base + 5])
      mlp = self.linear(x4, weights[base + 6], weights[base + 7])
    return ops.mkldnn._linear_pointwise(x, weights[8 * blocks], None, "none", annotate(List[Optional[number]], []), "")

  def linear(self: __torch__.StepProducts, x: Tensor, w: Tensor, b: Tensor) -> Tensor:
    return ops.mkldnn._linear_pointwise(x, w, b, "none", annotate(List[Optional[number]], []), "")
