# GPT-2's forward pass, in TorchScript as torch.jit.save writes it into an archive's code/ folder:
# libtorch compiles this text when the runtime loads it (ScriptedForward, TorchScriptArchive), so a
# whole forward is one engine call. Ops are spelled as the serializer spells them (torch.linear, not
# torch.nn.functional.linear). Shapes: B rows, T new tokens, S tokens attended to, E width, H heads
# of D.
#
# Arguments (ScriptedForward builds them):
#   weights  the list ScriptedForward.weightList documents: 6 fixed entries, then 12 per block;
#            matrices [in, out] as the hub stores them (under oneDNN's products, the ones `linear`
#            takes come as their [out, in] transposed views), Q's columns and bias divided by sqrt(D)
#            at load when that is exact; wte and the head [E, V], the hub's [V, E] transposed at load
#   caches   per block [2, B, H, slots, D]: K at index 0, V at 1; this call writes its tokens into
#            slots [start, start + T). K (and V) of all rows is then [B, H, slots, D] with B and H
#            mergeable, so the attention's batched products read the cache as a view, never a copy
#   ids, positions  row-major [B * T]
#   bias     [B, 1, 1, T, start + T] added to the attention scores, or an empty tensor: nothing hidden
#   shape    [B, T, start, last_only, observe, H, D]
#   config   [layer_norm_epsilon, 1.0 for the erf GELU, 1.0 when Q comes pre-scaled, 1.0 for oneDNN's products]
#
# The residual stream is 2-D, [B * T, E], as HuggingFace's Conv1D views it, and every projection is
# x @ W + b with W [in, out] (linear, below): on the CPU oneDNN's linear by default, else Conv1D's own
# call, addmm(bias, x, W), the same kernel on the same layout as HF (CpuProducts says which and why).
# Q, K and V stay stacked as [B, 3, H, T, D]; a step writes K and V into the cache with one copy per
# block and Q is a view.
class Gpt2Forward(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  def forward(self: __torch__.Gpt2Forward,
    weights: List[Tensor],
    caches: List[Tensor],
    ids: List[int],
    positions: List[int],
    bias: Tensor,
    shape: List[int],
    config: List[float]) -> Tensor:
    probes = annotate(List[Tensor], [])
    return self.run(weights, caches, ids, positions, bias, shape, config, probes)

  def observed(self: __torch__.Gpt2Forward,
    weights: List[Tensor],
    caches: List[Tensor],
    ids: List[int],
    positions: List[int],
    bias: Tensor,
    shape: List[int],
    config: List[float]) -> List[Tensor]:
    probes = annotate(List[Tensor], [])
    logits = self.run(weights, caches, ids, positions, bias, shape, config, probes)
    probes.append(logits)
    return probes

  def run(self: __torch__.Gpt2Forward,
    weights: List[Tensor],
    caches: List[Tensor],
    ids: List[int],
    positions: List[int],
    bias: Tensor,
    shape: List[int],
    config: List[float],
    probes: List[Tensor]) -> Tensor:
    rows = shape[0]
    t = shape[1]
    start = shape[2]
    last_only = shape[3] == 1
    observe = shape[4] == 1
    heads = shape[5]
    head_dim = shape[6]
    eps = config[0]
    erf_gelu = config[1] == 1.0
    query_pre_scaled = config[2] == 1.0
    onednn = config[3] == 1.0
    width = heads * head_dim
    length = start + t
    wte = weights[0]  # [E, V]: token t's embedding is column t
    wpe = weights[1]
    if len(ids) == 1:
      token = torch.select(wte, 1, ids[0])
      place = torch.select(wpe, 0, positions[0])
      x = torch.reshape(torch.add(token, place), [1, width])
    else:
      tokens = torch.t(torch.index_select(wte, 1, torch.tensor(ids, dtype=4, device=wte.device)))
      places = torch.embedding(wpe, torch.tensor(positions, dtype=4, device=wte.device))
      # contiguous once: the sum takes the gathered columns' transposed layout, and a strided residual
      # stream made every layer norm copy it first (two a block and the final one)
      x = torch.contiguous(torch.add(tokens, places))
    if observe:
      probes.append(torch.clone(x))
    # A decode step's attention on the CPU is small: below ATen's grain (32768 elements) a product and
    # a sum run on the calling thread, where a batched matrix product packs its tiny matrices for BLAS
    # and wakes the thread pool, twice a block (docs/DECISIONS.md, "Decode hot path")
    small = t == 1 and not wte.is_cuda and rows * heads * length * head_dim < 32768
    # A decode step's attention beside oneDNN's products (CPU only), Q pre-scaled: one
    # scaled_dot_product_attention call per block (libtorch's fused CPU kernel) in place of the eight
    # to ten ops below. BLAS keeps those ops: the fused kernel's bits depend on the thread count, which
    # would end DecodeThreads' one-thread choice; GPUs keep them too, the path their goldens were
    # checked on (docs/DECISIONS.md, "A decode step's attention on the CPU is one call")
    fused = t == 1 and query_pre_scaled and onednn
    for layer in range(len(caches)):
      base = 6 + 12 * layer
      kv = caches[layer]
      h = torch.layer_norm(x, [width], weights[base], weights[base + 1], eps)
      if observe:
        probes.append(torch.clone(h))
      qkv = self.linear(h, weights[base + 2], weights[base + 3], onednn)
      if observe:
        thirds = torch.split(qkv, width, 1)
        if query_pre_scaled:
          probes.append(torch.mul(thirds[0], weights[5]))
        else:
          probes.append(torch.clone(thirds[0]))
        probes.append(torch.clone(thirds[1]))
        probes.append(torch.clone(thirds[2]))
      if t == 1:  # a decode step: the head split is a free view
        stacked = torch.reshape(qkv, [rows, 3, heads, 1, head_dim])
      else:
        stacked = torch.permute(torch.reshape(qkv, [rows, t, 3, heads, head_dim]), [0, 2, 3, 1, 4])
      slots = torch.slice(kv, 3, start, length)
      slots = torch.copy_(slots, torch.permute(torch.slice(stacked, 1, 1, 3), [1, 0, 2, 3, 4]))
      q = torch.slice(stacked, 1, 0, 1)
      if fused:  # [B, H, 1, D] against the cache's first `length` slots, [B, H, S, D], as views
        q4 = torch.reshape(q, [rows, heads, 1, head_dim])
        k4 = torch.slice(torch.select(kv, 0, 0), 2, 0, length)
        v4 = torch.slice(torch.select(kv, 0, 1), 2, 0, length)
        if torch.numel(bias) > 0:  # padded rows: the bias, [B, 1, 1, 1, S], as the mask [B, 1, 1, S]
          mask = torch.reshape(bias, [rows, 1, 1, length])
          context = torch.scaled_dot_product_attention(q4, k4, v4, mask, 0.0, False, scale=1.0)
        else:
          context = torch.scaled_dot_product_attention(q4, k4, v4, None, 0.0, False, scale=1.0)
        merged = torch.reshape(context, [rows, width])  # [B, H, 1, D]: the heads already side by side
      else:
        keys = torch.unsqueeze(torch.slice(torch.select(kv, 0, 0), 2, 0, length), 1)  # [B, 1, H, S, D]
        if small:
          scores = torch.unsqueeze(torch.sum(torch.mul(q, keys), -1), 3)
        else:
          scores = torch.matmul(q, torch.transpose(keys, 3, 4))
        if not query_pre_scaled:  # else sqrt(D) was divided out of Q's weights at load, exactly
          scores = torch.div(scores, weights[5])
        if torch.numel(bias) > 0:
          scores = torch.add_(scores, bias)
        probs = torch.softmax(scores, -1, 6)
        values = torch.unsqueeze(torch.slice(torch.select(kv, 0, 1), 2, 0, length), 1)
        if small:
          context = torch.sum(torch.mul(torch.transpose(probs, 3, 4), values), 3, True)
        else:
          context = torch.matmul(probs, values)
        if t == 1:  # heads side by side: at T = 1 the head-major layout already is that
          merged = torch.reshape(context, [rows, width])
        else:
          merged = torch.reshape(torch.permute(context, [0, 1, 3, 2, 4]), [rows * t, width])
      a = self.linear(merged, weights[base + 4], weights[base + 5], onednn)
      if observe:
        probes.append(torch.clone(a))
      x = torch.add_(x, a)
      h = torch.layer_norm(x, [width], weights[base + 6], weights[base + 7], eps)
      if observe:
        probes.append(torch.clone(h))
      fc = self.linear(h, weights[base + 8], weights[base + 9], onednn)
      if observe:
        probes.append(torch.clone(fc))
      # HuggingFace's gelu_new, 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), is torch's tanh GELU:
      # one kernel where HF's expression takes nine, equal to it bit for bit on nearly every value
      if erf_gelu:
        activated = torch.gelu(fc)
      else:
        activated = torch.gelu(fc, approximate="tanh")
      m = self.linear(activated, weights[base + 10], weights[base + 11], onednn)
      if observe:
        probes.append(torch.clone(m))
      x = torch.add_(x, m)
      if observe:
        probes.append(torch.clone(x))
    # generation needs only each row's last position: the LM head, the largest product, skips the rest
    if last_only and t > 1:
      x = torch.slice(x, 0, t - 1, rows * t, t)
    h = torch.layer_norm(x, [width], weights[2], weights[3], eps)
    if observe:
      probes.append(torch.clone(h))
    # the head, [E, V] (wte's columns when tied): under BLAS x @ W streams this layout faster than HF's
    # nn.Linear, x @ W^T over [V, E] (docs/DECISIONS.md, "The LM head is stored [E, V]")
    return self.linear(h, weights[4], None, onednn)

  # x @ W + b (no bias: the LM head). BLAS: w is W, [in, out], and this is Conv1D's own call. oneDNN's
  # linear (CpuProducts) takes nn.Linear's [out, in]: there w is W's transposed view, made once at load
  # (ScriptedForward.productMatrix), which runs as fast as a contiguous [out, in] copy would.
  def linear(self: __torch__.Gpt2Forward, x: Tensor, w: Tensor, b: Optional[Tensor], onednn: bool) -> Tensor:
    if onednn:
      return ops.mkldnn._linear_pointwise(x, w, b, "none", annotate(List[Optional[number]], []), "")
    if b is None:
      return torch.mm(x, w)
    return torch.addmm(b, x, w)

  # oneDNN's linear on two rows of ones, W = ones [3, 4] (given as its [4, 3] transposed view) and a bias
  # of ones: every value 4. A libtorch built without oneDNN fails here, at load, and the forward keeps
  # BLAS (ScriptedForward.oneDnnProbeFailure).
  def onednn_probe(self: __torch__.Gpt2Forward) -> Tensor:
    x = torch.ones([2, 3], dtype=6)
    return self.linear(x, torch.t(torch.ones([3, 4], dtype=6)), torch.ones([4], dtype=6), True)

  # Every block's cache in new arrays of `slots` slots per row, the first `length` copied: the cache
  # grows on demand instead of being allocated for n_ctx at once (KvCache.ensureSlots).
  def grown(self: __torch__.Gpt2Forward,
    caches: List[Tensor],
    slots: int,
    length: int) -> List[Tensor]:
    out = annotate(List[Tensor], [])
    for kv in caches:
      target = torch.empty([torch.size(kv, 0), torch.size(kv, 1), torch.size(kv, 2), slots, torch.size(kv, 4)],
                           dtype=6, device=kv.device)
      used = torch.copy_(torch.slice(target, 3, 0, length), torch.slice(kv, 3, 0, length))
      out.append(target)
    return out

  # Beam search's reorder of every block's cache into new arrays of len(rows) rows: new row r is old
  # row rows[r] (one prompt row expanded to its beams, or beams dropped). Every slot is copied, the
  # unused ones too (`length` is not needed): one contiguous select, where selecting from the used
  # slots' view made index_select copy the whole cache first.
  def reorder(self: __torch__.Gpt2Forward,
    caches: List[Tensor],
    rows: List[int],
    length: int) -> List[Tensor]:
    index = torch.tensor(rows, dtype=4, device=caches[0].device)
    out = annotate(List[Tensor], [])
    for kv in caches:
      # the whole contiguous cache, not its used slots: index_select first copies a strided input
      # into a contiguous one, which for the used-slots view is every row of the cache
      out.append(torch.index_select(kv, 1, index))
    return out

  # The same reorder when the row count stays, in place, one row at a time: `steps` are RowMoves'
  # triples (kind, from, to) in the order they must run, 0 a row into a row, 1 a row kept aside (the
  # next saved one), 2 a saved row into a row. Rows that keep their place are not touched. One copy_
  # per moved row streams its used slots; gathering the moved rows (index_select, indexing) and
  # writing them back (index_copy_) went element by element or copied the whole capacity.
  def moved(self: __torch__.Gpt2Forward,
    caches: List[Tensor],
    steps: List[int],
    length: int) -> List[Tensor]:
    n = len(steps) // 3
    for kv in caches:
      used = torch.slice(kv, 3, 0, length)
      saved = annotate(List[Tensor], [])
      for i in range(n):
        kind = steps[3 * i]
        source = steps[3 * i + 1]
        if kind == 1:
          saved.append(torch.clone(torch.select(used, 1, source)))
        else:
          target = torch.select(used, 1, steps[3 * i + 2])
          if kind == 2:
            written = torch.copy_(target, saved[source])
          else:
            written = torch.copy_(target, torch.select(used, 1, source))
    return caches

  # The same in-place reorder as a gather and a scatter a block, for a GPU (two launches a block where
  # `moved` launches a copy per moved row): moves is [destination rows..., their source rows...]; the
  # sources are read out before any row is written, so a row can be both. The sources come out of the
  # whole contiguous cache (from the used slots' strided view index_select would first copy it whole).
  def gathered(self: __torch__.Gpt2Forward,
    caches: List[Tensor],
    moves: List[int],
    length: int) -> List[Tensor]:
    n = len(moves) // 2
    index = torch.tensor(moves, dtype=4, device=caches[0].device)
    targets = torch.slice(index, 0, 0, n)
    sources = torch.slice(index, 0, n, 2 * n)
    for kv in caches:
      picked = torch.slice(torch.index_select(kv, 1, sources), 3, 0, length)
      written = torch.index_copy_(torch.slice(kv, 3, 0, length), 1, targets, picked)
    return caches
