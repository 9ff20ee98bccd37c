# The two CPU kernels the runtime can run its matrix products on (CpuProducts), side by side in one
# Python process on the same torch: BLAS (addmm over [in, out], HF Conv1D's call; MKL in PyTorch's
# builds) and oneDNN's linear (torch.ops.mkldnn._linear_pointwise over the transposed view).
#   1. the 128-token forward's product shapes, best of 20, in GFLOP/s
#   2. a whole 124M decode step's products (12 blocks' four matrices and the [E, V] head, 494 MB:
#      they do not fit in a cache), for 1, 5 and 16 rows, median of 10, in ms
# Needs torch only.  python docs/measure/cpu_products.py   (THREADS=1 for one intra-op thread)
import os
import time

import torch

if "THREADS" in os.environ:
    torch.set_num_threads(int(os.environ["THREADS"]))


def blas(x, w, b):
    return torch.addmm(b, x, w) if b is not None else torch.mm(x, w)


def onednn(x, w, b):
    return torch.ops.mkldnn._linear_pointwise(x, w.t(), b, "none", [], "")


def best(f, n=20):
    for _ in range(3):
        f()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times), sorted(times)[len(times) // 2]


with torch.no_grad():
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    x = torch.randn(4, 8)
    w = torch.randn(8, 5)
    print("max |oneDNN - BLAS| on a small product:", (onednn(x, w, None) - blas(x, w, None)).abs().max().item())
    for m, k, n in [(128, 768, 2304), (128, 768, 3072), (128, 3072, 768), (128, 768, 50257)]:
        x, w, b = torch.randn(m, k), torch.randn(k, n), torch.randn(n)
        flops = 2 * m * k * n
        line = [f"{m} x {k} x {n}:"]
        for name, kernel in (("BLAS", blas), ("oneDNN", onednn)):
            fastest, _ = best(lambda: kernel(x, w, b))
            line.append(f"{name} {fastest * 1e3:.2f} ms, {flops / fastest / 1e9:.0f} GFLOP/s")
        print("  ".join(line))
    E, V = 768, 50257
    blocks = [(torch.randn(E, 3 * E), torch.randn(3 * E), torch.randn(E, E), torch.randn(E), torch.randn(E, 4 * E),
               torch.randn(4 * E), torch.randn(4 * E, E), torch.randn(E)) for _ in range(12)]
    head = torch.randn(E, V)
    for rows in (1, 5, 16):
        x, x4 = torch.randn(rows, E), torch.randn(rows, 4 * E)
        line = [f"a 124M step's products, {rows} row(s):"]
        for name, kernel in (("BLAS", blas), ("oneDNN", onednn)):
            def step():
                for qkv, qkv_b, proj, proj_b, fc, fc_b, mlp, mlp_b in blocks:
                    kernel(x, qkv, qkv_b)
                    kernel(x, proj, proj_b)
                    kernel(x, fc, fc_b)
                    kernel(x4, mlp, mlp_b)
                kernel(x, head, None)
            _, median = best(step, 10)
            line.append(f"{name} {median * 1e3:.1f} ms")
        print("  ".join(line))
