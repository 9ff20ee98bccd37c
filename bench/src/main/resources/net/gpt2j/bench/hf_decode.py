# HuggingFace's side of `bench/run decode --hf-python PATH`: the same tasks on the same shape, one
# round per "run" line read from stdin, each answered with one JSON line of seconds. The Java side
# runs its own round first, so both see the same neighbours. Weights are random (GPT2Config's
# defaults: the 124M shape); speed does not depend on their values.
import json
import sys
import time

import torch
from transformers import GPT2Config, GPT2LMHeadModel

threads, prompt_len, new_tokens, rows = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(1)
model = GPT2LMHeadModel(GPT2Config()).eval()
model.generation_config.eos_token_id = None  # as the Java side's noEosToken(): always 64 new tokens
model.generation_config.pad_token_id = 0


def prompt(r):
    return [1000 + 37 * i + 101 * r for i in range(prompt_len)]


one = torch.tensor([prompt(0)])
five = torch.tensor([prompt(r) for r in range(rows)])
ids128 = torch.full((1, 128), 464)


def timed(body):
    start = time.perf_counter()
    body()
    return time.perf_counter() - start


def generate(ids, beams):
    with torch.no_grad():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=new_tokens,
                             do_sample=False, num_beams=beams)
    assert out.shape[1] == prompt_len + new_tokens, out.shape


def forward():
    with torch.no_grad():
        model(ids128).logits.numpy()  # on the host, as the Java side's float[][][]


def round_():
    return {
        "greedy1": timed(lambda: generate(one, 1)),
        "greedy5": timed(lambda: generate(five, 1)),
        "beam5": timed(lambda: generate(one, rows)),
        "forward128": timed(forward),
    }


round_()  # warm-up
import transformers
print(json.dumps({"ready": f"transformers {transformers.__version__}, torch {torch.__version__}, "
                           f"{torch.get_num_threads()} threads"}), flush=True)
for line in sys.stdin:
    if line.strip() != "run":
        break
    print(json.dumps(round_()), flush=True)
