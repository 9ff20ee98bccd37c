#!/usr/bin/env python3
"""Checks that a folder written by `gpt2 convert` is the hub's GPT-2 folder, as transformers sees it.

Not run by the build (it needs transformers and torch). Usage:

    python golden/recorder/check_hub_folder.py DIR [--expect-ids "15496 995 ..."]

It checks, and exits non-zero on the first failure:
  1. GPT2LMHeadModel.from_pretrained(DIR) loads with no missing, unexpected or mismatched keys,
     and its lm_head is tied to wte;
  2. AutoTokenizer (fast, from tokenizer.json), GPT2Tokenizer (slow, from vocab.json + merges.txt)
     and tokenizers.Tokenizer.from_file(tokenizer.json) all encode "Hello world" as [15496, 995]
     and agree on a harder text (<|endoftext|>, digits, non-ASCII);
  3. greedy generation of 8 new tokens after "Hello world", printed so it can be compared with
     `gpt2 generate --model DIR --prompt "Hello world" --max-new-tokens 8 --ids`; with
     --expect-ids the comparison is made here.
"""
import argparse
import sys

import torch
from tokenizers import Tokenizer
from transformers import AutoTokenizer, GPT2LMHeadModel, GPT2Tokenizer


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--expect-ids", help="the Java runtime's prompt + generated ids, space-separated")
    a = p.parse_args()

    model, info = GPT2LMHeadModel.from_pretrained(a.dir, output_loading_info=True)
    for key in ("missing_keys", "unexpected_keys", "mismatched_keys", "error_msgs"):
        if info.get(key):
            fail(f"from_pretrained reports {key}: {info[key]}")
    if model.lm_head.weight.data_ptr() != model.transformer.wte.weight.data_ptr():
        fail("lm_head is not tied to wte")
    print("model: loaded with no missing/unexpected/mismatched keys, lm_head tied")

    hard = "Hello world<|endoftext|> It's 2024: naïve café — 東京 123456!!"
    fast = AutoTokenizer.from_pretrained(a.dir)
    slow = GPT2Tokenizer.from_pretrained(a.dir)
    raw = Tokenizer.from_file(a.dir + "/tokenizer.json")
    for name, enc in (("AutoTokenizer", fast.encode), ("GPT2Tokenizer", slow.encode),
                      ("tokenizers.Tokenizer", lambda t: raw.encode(t).ids)):
        if enc("Hello world") != [15496, 995]:
            fail(f"{name} encodes 'Hello world' as {enc('Hello world')}")
    if not (fast.encode(hard) == slow.encode(hard) == raw.encode(hard).ids):
        fail(f"tokenizers disagree on {hard!r}: {fast.encode(hard)} / {slow.encode(hard)} / {raw.encode(hard).ids}")
    print(f"tokenizer: 'Hello world' -> [15496, 995] in all three; {hard!r} -> {fast.encode(hard)}")

    ids = torch.tensor([fast.encode("Hello world")])
    out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=8, do_sample=False,
                         pad_token_id=50256)
    got = out[0].tolist()
    print("greedy ids:", " ".join(map(str, got)))
    if a.expect_ids is not None:
        want = [int(x) for x in a.expect_ids.split()]
        if want != got:
            fail(f"Java runtime gave {want}, transformers {got}")
        print("greedy: the Java runtime's ids equal transformers'")
    print("OK")


if __name__ == "__main__":
    main()
