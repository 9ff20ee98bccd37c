# HuggingFace's side of `bench/run cli --hf-python PATH`: the CLI's generation as a user would run it
# with transformers, in a fresh Python process each time: import, load the same hub folder (the model
# and its tokenizer.json), encode the same prompt, greedy, the same number of new tokens, no EOS. Prints
# one JSON line: seconds for each part and the row's ids. The Java side times the whole process.
import json
import sys
import time

t_start = time.perf_counter()
import torch
import transformers
from transformers import AutoTokenizer, GPT2LMHeadModel
from transformers.generation.streamers import BaseStreamer

t_imported = time.perf_counter()
hub, prompt, new_tokens, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
tokenizer = AutoTokenizer.from_pretrained(hub)
model = GPT2LMHeadModel.from_pretrained(hub).eval()
model.generation_config.eos_token_id = None  # as the CLI's --eos-token-id -1: always new_tokens
model.generation_config.pad_token_id = 0
t_loaded = time.perf_counter()
ids = tokenizer(prompt, return_tensors="pt").input_ids


class FirstToken(BaseStreamer):
    """generate() puts the prompt first, then each new token: the second put is the first decided token."""

    def __init__(self):
        self.puts = 0
        self.first = None

    def put(self, value):
        self.puts += 1
        if self.puts == 2:
            self.first = time.perf_counter()

    def end(self):
        pass


streamer = FirstToken()
t0 = time.perf_counter()
with torch.no_grad():
    out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=new_tokens, do_sample=False,
                         num_beams=1, streamer=streamer)
t1 = time.perf_counter()
assert out.shape[1] == ids.shape[1] + new_tokens, out.shape
print(json.dumps({
    "versions": f"transformers {transformers.__version__}, torch {torch.__version__}, {torch.get_num_threads()} threads",
    "import_s": t_imported - t_start,
    "load_s": t_loaded - t_imported,
    "prompt_tokens": int(ids.shape[1]),
    "prefill_s": streamer.first - t0,
    "decode_s": t1 - streamer.first,
    "ids": out[0].tolist(),  # the prompt and the new tokens, as the CLI's --ids prints them
}), flush=True)
