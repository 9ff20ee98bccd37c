# Round 2: beam-search configs whose eos id is taken from an HF beam run (non-top beam, early step),
# so finished hypotheses, length_penalty and early_stopping interact. Writes configs2.json.
import json, random, torch, warnings
warnings.filterwarnings("ignore")
from transformers import GPT2LMHeadModel, AutoTokenizer
from transformers.utils import logging as hl
hl.set_verbosity_error()
from common import *
configs = []
for mdir in ["hub", "hub2"]:
    m = GPT2LMHeadModel.from_pretrained(mdir).eval(); tok = AutoTokenizer.from_pretrained(mdir)
    tok.padding_side = "left"; tok.pad_token = tok.eos_token
    rng = random.Random(99 + len(mdir))
    def pick_eos(prompts, mnt, params):
        enc = tok(prompts, return_tensors="pt", padding=True)
        kw = dict(max_new_tokens=mnt, do_sample=False, pad_token_id=PAD, num_beams=params["num_beams"],
                  num_return_sequences=params["num_beams"], eos_token_id=-1)
        for k in ("no_repeat_ngram_size", "repetition_penalty"):
            if k in params: kw[k] = params[k]
        out = m.generate(**enc, **kw)
        L = enc["input_ids"].shape[1]
        r = rng.randint(0, params["num_beams"] - 1); k = rng.randint(1, min(6, mnt - 1))
        return out[r, L + k].item()
    grid = [(lp, es) for lp in (-1.0, 0.0, 0.6, 1.0, 2.0) for es in (False, True, "never")]
    for lp, es in grid + grid[::3]:
        sname = rng.choice(["S1", "S2", "S3", "S4", "S5"])
        nb = rng.randint(2, 6); mnt = rng.choice([8, 15, 25, 40])
        params = dict(num_beams=nb, length_penalty=lp, early_stopping=es, num_return_sequences=rng.randint(1, nb))
        if rng.random() < 0.3: params["no_repeat_ngram_size"] = rng.randint(1, 4)
        if rng.random() < 0.3: params["repetition_penalty"] = rng.choice([1.2, 2.0, 0.8])
        if rng.random() < 0.3: params["min_new_tokens"] = rng.choice([2, 5])
        params["eos_token_id"] = pick_eos(PROMPT_SETS[sname], mnt, params)
        c = dict(id=f"r2-{mdir}-{len(configs):03d}", model=mdir, set=sname, prompts=PROMPT_SETS[sname], max_new_tokens=mnt, params=params)
        if sname == "S5": c["prompt_file"] = "s5_prompts.txt"
        configs.append(c)
    # a few greedy edge cases: eos reached by one batch member only, max_new_tokens=1, beams with mnt=1/2
    for sname in ("S2", "S3", "S4"):
        enc = tok(PROMPT_SETS[sname], return_tensors="pt", padding=True)
        out = m.generate(**enc, max_new_tokens=12, do_sample=False, pad_token_id=PAD)
        e = out[-1, enc["input_ids"].shape[1] + 4].item()   # token the LAST prompt reaches at step 4
        configs.append(dict(id=f"r2-{mdir}-{len(configs):03d}", model=mdir, set=sname, prompts=PROMPT_SETS[sname], max_new_tokens=12,
                            params=dict(eos_token_id=e)))
        configs.append(dict(id=f"r2-{mdir}-{len(configs):03d}", model=mdir, set=sname, prompts=PROMPT_SETS[sname], max_new_tokens=2,
                            params=dict(num_beams=3, length_penalty=1.0, early_stopping=False, num_return_sequences=3, eos_token_id=e)))
# trim to keep the CLI call count down: per model the 15-point (length_penalty x early_stopping) grid,
# greedy eos-reached-by-last-prompt on S2 and S3, and the beam max_new_tokens=2 case on S3
keep = []
for mdir in ("hub", "hub2"):
    cs = [c for c in configs if c["model"] == mdir]; keep += cs[:15] + [cs[20], cs[22], cs[23]]
configs = keep
json.dump(configs, open("configs2.json", "w"), indent=1, ensure_ascii=False)
print(len(configs))
