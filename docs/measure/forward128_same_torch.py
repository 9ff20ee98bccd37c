# The 128-token forward of the runtime's TorchScript forward (runtime/src/main/resources/.../Gpt2Forward.py)
# beside HuggingFace's, in one Python process on the same torch, the same random 124M weights and 2 threads:
# separates the forward's own ops from the libtorch version DJL runs. Needs torch and transformers.
# The script runs with the CPU products the runtime picks (CpuProducts): PRODUCTS=blas for BLAS (addmm).
#   python docs/measure/forward128_same_torch.py        (from the repository root)
#   PRODUCTS=blas python docs/measure/forward128_same_torch.py
import io
import os
import time
import zipfile

import torch
from transformers import GPT2Config, GPT2LMHeadModel

SOURCE = "runtime/src/main/resources/net/gpt2j/runtime/model/Gpt2Forward.py"
# the archive TorchScriptArchive writes: the module pickle, the code, an empty constants tuple, version 10
PICKLE = (b"\x80\x02c__torch__\nGpt2Forward\n)\x81}(X\x08\x00\x00\x00training\x88"
          b"X\x16\x00\x00\x00_is_full_backward_hookNub.")
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as z:
    z.writestr("archive/data.pkl", PICKLE)
    z.writestr("archive/code/__torch__.py", open(SOURCE).read())
    z.writestr("archive/constants.pkl", b"\x80\x02).")
    z.writestr("archive/.data/version", "10\n")
buffer.seek(0)
script = torch.jit.load(buffer)
torch._C._set_graph_executor_optimize(False)  # as the runtime runs it
torch.set_num_threads(2)
torch.manual_seed(0)
hf = GPT2LMHeadModel(GPT2Config()).eval()
sd = hf.state_dict()
E, H, D, L, T = 768, 12, 64, 12, 128
wte_columns = sd["transformer.wte.weight"].t().contiguous()  # [E, V], as Gpt2Weights stores wte and the tied head
W = [wte_columns, sd["transformer.wpe.weight"], sd["transformer.ln_f.weight"],
     sd["transformer.ln_f.bias"], wte_columns, torch.tensor(8.0)]
for i in range(L):
    p = f"transformer.h.{i}."
    qkv_w = sd[p + "attn.c_attn.weight"].clone()
    qkv_w[:, :E] /= 8  # Q pre-scaled by 1/sqrt(D), as Gpt2Weights does
    qkv_b = sd[p + "attn.c_attn.bias"].clone()
    qkv_b[:E] /= 8
    W += [sd[p + "ln_1.weight"], sd[p + "ln_1.bias"], qkv_w, qkv_b, sd[p + "attn.c_proj.weight"], sd[p + "attn.c_proj.bias"],
          sd[p + "ln_2.weight"], sd[p + "ln_2.bias"], sd[p + "mlp.c_fc.weight"], sd[p + "mlp.c_fc.bias"],
          sd[p + "mlp.c_proj.weight"], sd[p + "mlp.c_proj.bias"]]
# the script's config: layer-norm epsilon, tanh GELU, Q pre-scaled, oneDNN's products unless PRODUCTS=blas
PRODUCTS = os.environ.get("PRODUCTS", "onednn")
CONFIG = [1e-5, 0.0, 1.0, 0.0 if PRODUCTS == "blas" else 1.0]
ids = [464] * T
bias = torch.zeros(1, 1, 1, T, T)
bias[..., torch.triu(torch.ones(T, T, dtype=torch.bool), 1)] = -3.4028234663852886e38 / 2


def ours():
    caches = [torch.empty(2, 1, H, T, D) for _ in range(L)]
    return script(W, caches, ids, list(range(T)), bias, [1, T, 0, 0, 0, H, D], CONFIG)


def theirs():
    return hf(torch.tensor([ids])).logits[0]


with torch.no_grad():
    print("max |script - HF| over all logits:", (ours() - theirs()).abs().max().item())
    for r in range(3):
        for name, f in (("script", ours), ("HF", theirs)):
            start = time.perf_counter()
            f()
            print(f"run {r + 1} {name} ({PRODUCTS if name == 'script' else 'addmm'}): {(time.perf_counter() - start) * 1e3:.1f} ms")
