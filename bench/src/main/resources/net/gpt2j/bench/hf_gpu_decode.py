# HuggingFace's side of `bench/run gpu --hf-python PATH`: the GPU benchmark's tasks on the same shape and
# device, one round per "run" line read from stdin, each answered with one JSON line of seconds. The Java
# side runs its own round first. Weights are random (speed does not depend on their values).
#   greedy_eager     generate(), dynamic cache, eager forward (HF's default)
#   greedy_compiled  generate(cache_implementation="static"): on CUDA transformers compiles the forward
#                    itself (GenerationMixin._valid_auto_compile_criteria); on the CPU it is not compiled
#                    and the figure says so
#   forward128       one 128-token forward, every position's logits copied to the host, as the Java side
import json
import sys
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel

device, n_embd, n_layer, n_head, prompt_len, new_tokens = sys.argv[1], *(int(a) for a in sys.argv[2:7])
torch.manual_seed(1)
model = GPT2LMHeadModel(GPT2Config(n_embd=n_embd, n_layer=n_layer, n_head=n_head)).to(device).eval()
model.generation_config.eos_token_id = None  # always new_tokens tokens, as the Java side's noEosToken()
model.generation_config.pad_token_id = 0

ids = torch.tensor([[1000 + 37 * i for i in range(prompt_len)]], device=device)
ids128 = torch.full((1, 128), 464, device=device)


def sync():
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def timed(body):
    sync()
    start = time.perf_counter()
    body()
    sync()
    return time.perf_counter() - start


def generate(**kwargs):
    with torch.no_grad():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=new_tokens,
                             do_sample=False, **kwargs)
    assert out.shape[1] == prompt_len + new_tokens, out.shape


def forward():
    with torch.no_grad():
        model(ids128).logits.cpu().numpy()


def round_():
    return {
        "greedy_eager": timed(lambda: generate()),
        "greedy_compiled": timed(lambda: generate(cache_implementation="static")),
        "forward128": timed(forward),
    }


round_()  # warm-up: compiles the static-cache forward on CUDA (a minute or more)
round_()
import transformers
compiled = "compiled forward" if device.startswith("cuda") else "NOT compiled on the CPU"
print(json.dumps({"ready": f"transformers {transformers.__version__}, torch {torch.__version__}, {device}, "
                           f"static cache {compiled}"}), flush=True)
for line in sys.stdin:
    if line.strip() != "run":
        break
    print(json.dumps(round_()), flush=True)
