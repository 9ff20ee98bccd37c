# Builds configs.json. Uses HF greedy runs to choose eos ids that greedy actually reaches.
import json, random, torch, warnings
warnings.filterwarnings("ignore")
from transformers import GPT2LMHeadModel, AutoTokenizer
from common import *
torch.manual_seed(0)
MODELS = ["hub", "hub2"]
configs = []
with open("s5_prompts.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(PROMPT_SETS["S5"]) + "\n")
for mdir in MODELS:
    m = GPT2LMHeadModel.from_pretrained(mdir).eval(); tok = AutoTokenizer.from_pretrained(mdir)
    tok.padding_side = "left"; tok.pad_token = tok.eos_token
    eos_pick = {}
    for sname, prompts in PROMPT_SETS.items():
        enc = tok(prompts, return_tensors="pt", padding=True)
        maxp = enc["attention_mask"].sum(1).max().item()
        n = min(20, 128 - maxp)
        out = m.generate(**enc, max_new_tokens=n, do_sample=False, pad_token_id=PAD)
        new = out[0, enc["input_ids"].shape[1]:].tolist()
        # choose a token that greedy on prompt 0 reaches at step >= 3 (or earliest available)
        idx = min(len(new) - 1, 3 + (sum(map(ord, sname)) % 5))
        eos_pick[sname] = new[idx]
        print(mdir, sname, "greedy new", new, "eos pick", new[idx])
    rng = random.Random(1234 + len(mdir))
    def add(sname, mnt, **params):
        prompts = PROMPT_SETS[sname]
        lim = 128 - max(len(tok(p)["input_ids"]) for p in prompts)
        mnt = min(mnt, lim)
        if params.get("eos_token_id") == "pick": params["eos_token_id"] = eos_pick[sname]
        c = dict(id=f"{mdir}-{len(configs):03d}", model=mdir, set=sname, prompts=prompts, max_new_tokens=mnt, params=params)
        if sname == "S5": c["prompt_file"] = "s5_prompts.txt"
        configs.append(c)
    # greedy hand-picked
    add("S1", 40); add("S2", 40); add("S3", 20); add("S4", 1); add("LONG", 8); add("LONGB", 8); add("S5", 12)
    add("S2", 30, eos_token_id="pick"); add("S3", 25, eos_token_id="pick"); add("S4", 20, eos_token_id="pick", min_new_tokens=6)
    add("S2", 25, repetition_penalty=1.2); add("S3", 25, repetition_penalty=2.0); add("S4", 25, repetition_penalty=0.8)
    add("S2", 30, no_repeat_ngram_size=1); add("S3", 30, no_repeat_ngram_size=2)
    add("S1", 40, no_repeat_ngram_size=3, repetition_penalty=1.2); add("S4", 40, no_repeat_ngram_size=4, eos_token_id="pick")
    add("LONGB", 8, repetition_penalty=2.0, eos_token_id="pick")
    # beam hand-picked
    add("S1", 10, num_beams=2, length_penalty=1.0, early_stopping=False, num_return_sequences=2)
    add("S2", 20, num_beams=4, length_penalty=1.0, early_stopping=False, num_return_sequences=4, eos_token_id="pick")
    add("S2", 20, num_beams=4, length_penalty=1.0, early_stopping=True, num_return_sequences=4, eos_token_id="pick")
    add("S2", 20, num_beams=4, length_penalty=1.0, early_stopping="never", num_return_sequences=4, eos_token_id="pick")
    add("S3", 15, num_beams=3, length_penalty=-1.0, early_stopping=False, num_return_sequences=3, eos_token_id="pick")
    add("S3", 15, num_beams=3, length_penalty=2.0, early_stopping="never", num_return_sequences=3, eos_token_id="pick")
    add("LONGB", 8, num_beams=5, length_penalty=0.6, early_stopping=True, num_return_sequences=2)
    # beam random
    for _ in range(21):
        nb = rng.randint(2, 6)
        sname = rng.choice(["S1", "S2", "S3", "S4", "S5", "LONGB"])
        add(sname, rng.choice([1, 3, 8, 15, 25, 40]), num_beams=nb,
            length_penalty=rng.choice([-1.0, 0.0, 0.6, 1.0, 2.0]), early_stopping=rng.choice([False, True, "never"]),
            num_return_sequences=rng.randint(1, nb),
            no_repeat_ngram_size=rng.choice([0, 0, 0, 1, 2, 3, 4]), repetition_penalty=rng.choice([1.0, 1.0, 1.2, 2.0, 0.8]),
            min_new_tokens=rng.choice([0, 0, 0, 2, 5]), eos_token_id=rng.choice([None, "pick", "pick"]))
json.dump(configs, open("configs.json", "w"), indent=1, ensure_ascii=False)
print(len(configs), "configs")
