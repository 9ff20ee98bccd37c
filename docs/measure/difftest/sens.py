# Sanity check of test power: for round-2 beam configs, rerun HF with early_stopping or length_penalty changed
# and count configs whose (ids, scores) would differ from the CLI output, i.e. a CLI that mishandled that option would be caught.
import json, copy, warnings, torch
warnings.filterwarnings("ignore")
from transformers import GPT2LMHeadModel, AutoTokenizer
from transformers.utils import logging as hl
hl.set_verbosity_error()
from common import *
R = json.load(open("compare_results2.json")); M = {}
def run(cfg):
    if cfg["model"] not in M:
        m = GPT2LMHeadModel.from_pretrained(cfg["model"]).eval(); t = AutoTokenizer.from_pretrained(cfg["model"])
        t.padding_side = "left"; t.pad_token = t.eos_token; M[cfg["model"]] = (m, t)
    m, t = M[cfg["model"]]; enc = t(cfg["prompts"], return_tensors="pt", padding=True)
    o = m.generate(**enc, output_scores=True, return_dict_in_generate=True, **hf_kwargs(cfg))
    return o.sequences.tolist(), [round(x, 4) for x in o.sequences_scores.tolist()]
cyc_es = {False: True, True: "never", "never": False}; cyc_lp = {-1.0: 0.0, 0.0: 0.6, 0.6: 1.0, 1.0: 2.0, 2.0: -1.0}
cnt = dict(n=0, es=0, lp=0)
for r in R:
    c = r["cfg"]
    if c["params"].get("num_beams", 1) == 1 or c["max_new_tokens"] <= 2: continue
    base = run(c); cnt["n"] += 1
    for key, cyc in (("es", cyc_es), ("lp", cyc_lp)):
        c2 = copy.deepcopy(c); k = "early_stopping" if key == "es" else "length_penalty"
        c2["params"][k] = cyc[c2["params"][k]]
        cnt[key] += run(c2) != base
print("beam configs", cnt["n"], "| would be caught if early_stopping mishandled:", cnt["es"], "| if length_penalty mishandled:", cnt["lp"])
