# Decode steps of the runtime's TorchScript forward (Gpt2Forward.py) beside the step's matrix products
# alone, in one Python process on the same random 124M weights as forward128_same_torch.py: what the
# script's ops other than the products cost, free of DJL. ROWS=5 runs a 5-row batch, THREADS=1 one
# intra-op thread (default: torch's), PRODUCTS=blas the script and the limit on BLAS (addmm; default
# oneDNN's linear, as the runtime picks on the CPU: CpuProducts). Run it under the thread settings to compare, e.g. with two busy
# loops on a 2-core machine (`yes > /dev/null &` twice):
#   OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=2000 python docs/measure/decode_steps_same_torch.py
#   OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=0    python docs/measure/decode_steps_same_torch.py
#   OMP_WAIT_POLICY=ACTIVE                      python docs/measure/decode_steps_same_torch.py
# (from the repository root; needs torch and transformers)
import os
import time

import torch

# the script, the weights W and the shapes E, H, D, L, as forward128_same_torch.py builds them
exec(open("docs/measure/forward128_same_torch.py").read().split("ids = [464]")[0])
CAPACITY = 128
ROWS = int(os.environ.get("ROWS", "1"))
if "THREADS" in os.environ:
    torch.set_num_threads(int(os.environ["THREADS"]))


def steps(n=63):
    caches = [torch.empty(2, ROWS, H, CAPACITY, D) for _ in range(L)]
    script(W, caches, list(range(16 * ROWS)), list(range(16)) * ROWS, torch.empty(0), [ROWS, 16, 0, 1, 0, H, D],
           CONFIG)
    start = time.perf_counter()
    for s in range(n):
        position = 16 + s
        script(W, caches, [464] * ROWS, [position] * ROWS, torch.empty(0), [ROWS, 1, position, 1, 0, H, D],
               CONFIG).topk(2)
    return n / (time.perf_counter() - start)


blocks = [W[6 + 12 * i + 2:6 + 12 * i + 6] + W[6 + 12 * i + 8:6 + 12 * i + 12] for i in range(L)]


def product(x, w, b):  # x @ w + b for w [in, out], on the kernel the script uses
    if PRODUCTS == "blas":
        return torch.addmm(b, x, w) if b is not None else torch.mm(x, w)
    return torch.ops.mkldnn._linear_pointwise(x, w.t(), b, "none", [], "")


def limit(n=63):
    x, x4 = torch.randn(ROWS, E), torch.randn(ROWS, 4 * E)
    start = time.perf_counter()
    for s in range(n):
        for qkv, qkv_b, proj, proj_b, fc, fc_b, mlp, mlp_b in blocks:
            product(x, qkv, qkv_b)
            product(x, proj, proj_b)
            product(x, fc, fc_b)
            product(x4, mlp, mlp_b)
        product(x, W[4], None).numpy()  # the head [E, V], as the script takes it
    return n / (time.perf_counter() - start)


with torch.no_grad():
    steps(5)
    limit(5)
    print(f"{ROWS} row(s), {torch.get_num_threads()} thread(s), products: {PRODUCTS}")
    for r in range(3):
        a, b = steps(), limit()
        print(f"run {r + 1}: script {a:.1f} steps/s, products alone {b:.1f} steps/s, ratio {a / b:.3f}", flush=True)
