# Round 3: search (HF only) for beam configs where early_stopping False/True/"never" give different HF outputs,
# then emit all three variants for CLI comparison. Writes configs3.json.
import json, random, warnings, time
warnings.filterwarnings("ignore")
from transformers import GPT2LMHeadModel, AutoTokenizer
from transformers.utils import logging as hl
hl.set_verbosity_error()
from common import *
configs = []; t0 = time.time(); rng = random.Random(7)
for mdir in ["hub", "hub2"]:
    m = GPT2LMHeadModel.from_pretrained(mdir).eval(); tok = AutoTokenizer.from_pretrained(mdir)
    tok.padding_side = "left"; tok.pad_token = tok.eos_token; found = 0
    while found < 2 and time.time() - t0 < 120 * (1 + (mdir == "hub2")):
        sname = rng.choice(["S1", "S2", "S3", "S4", "S5"]); prompts = PROMPT_SETS[sname]
        enc = tok(prompts, return_tensors="pt", padding=True); L = enc["input_ids"].shape[1]
        nb = rng.randint(2, 6); mnt = rng.choice([10, 20, 30]); lp = rng.choice([-1.0, 0.0, 0.6, 1.0, 2.0])
        base = m.generate(**enc, max_new_tokens=mnt, do_sample=False, pad_token_id=PAD, num_beams=nb, num_return_sequences=nb, eos_token_id=-1)
        eos = base[rng.randrange(base.shape[0]), L + rng.randint(1, 6)].item()
        outs = {}
        for es in (False, True, "never"):
            o = m.generate(**enc, max_new_tokens=mnt, do_sample=False, pad_token_id=PAD, num_beams=nb, num_return_sequences=nb,
                           eos_token_id=eos, length_penalty=lp, early_stopping=es, output_scores=True, return_dict_in_generate=True)
            outs[repr(es)] = (o.sequences.tolist(), [round(x, 4) for x in o.sequences_scores.tolist()])
        if len(set(json.dumps(v) for v in outs.values())) >= 2:
            found += 1
            for es in (False, True, "never"):
                c = dict(id=f"r3-{mdir}-{len(configs):03d}", model=mdir, set=sname, prompts=prompts, max_new_tokens=mnt,
                         params=dict(num_beams=nb, length_penalty=lp, early_stopping=es, num_return_sequences=nb, eos_token_id=eos))
                if sname == "S5": c["prompt_file"] = "s5_prompts.txt"
                configs.append(c)
json.dump(configs, open("configs3.json", "w"), indent=1, ensure_ascii=False)
print(len(configs), round(time.time() - t0))
