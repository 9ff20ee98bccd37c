# Round 4: several end tokens at once (HF's eos_token_id as a list), greedy and beam, each list holding
# a token the run reaches (taken from an unstopped HF run) beside 50256. Writes configs4.json.
import json, random, warnings
warnings.filterwarnings("ignore")
from transformers import GPT2LMHeadModel, AutoTokenizer
from transformers.utils import logging as hl
hl.set_verbosity_error()
from common import *
configs = []; rng = random.Random(11)
for mdir in ["hub", "hub2"]:
    m = GPT2LMHeadModel.from_pretrained(mdir).eval(); tok = AutoTokenizer.from_pretrained(mdir)
    tok.padding_side = "left"; tok.pad_token = tok.eos_token
    for n in range(6):
        sname = rng.choice(["S1", "S2", "S3", "S4"]); prompts = PROMPT_SETS[sname]
        enc = tok(prompts, return_tensors="pt", padding=True); L = enc["input_ids"].shape[1]
        nb = 1 if n < 3 else rng.randint(2, 5); mnt = rng.choice([12, 20])
        kw = dict(num_beams=nb, num_return_sequences=nb) if nb > 1 else {}
        base = m.generate(**enc, max_new_tokens=mnt, do_sample=False, pad_token_id=PAD, eos_token_id=-1, **kw)
        reached = base[rng.randrange(base.shape[0]), L + rng.randint(1, 5)].item()
        params = dict(eos_token_id=[PAD, reached])
        if nb > 1:
            params.update(num_beams=nb, length_penalty=rng.choice([0.6, 1.0, 2.0]), early_stopping=rng.choice([False, True, "never"]),
                          num_return_sequences=nb)
        if n % 3 == 2:
            params["min_new_tokens"] = rng.randint(2, 8)
        configs.append(dict(id=f"r4-{mdir}-{len(configs):03d}", model=mdir, set=sname, prompts=prompts, max_new_tokens=mnt,
                            params=params))
json.dump(configs, open("configs4.json", "w"), indent=1, ensure_ascii=False)
print(len(configs))
