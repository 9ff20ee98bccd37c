# Round 5: settings that live in a folder's generation_config.json, not on the command line. For each
# config a copy of the hub folder gets the settings as its generation_config.json; `gpt2 generate` runs
# with no generation option at all (the model, the prompts, --json) and HF's generate() with none either
# (only pad_token_id, which changes nothing but padding): both must take the file's settings, so their
# ids (and beam scores, relative 1e-4) must agree. Greedy and beam settings only: sampled ids depend on
# each side's random generator. Run from the work folder run_all.sh made (it needs `hub`):
#   GPT2=./gpt2 python docs/measure/difftest/folder_settings.py   (cwd: the work folder)
import json, os, random, shutil, subprocess, warnings
warnings.filterwarnings("ignore")
import torch
from transformers import GPT2LMHeadModel, AutoTokenizer
from transformers.utils import logging as hl
hl.set_verbosity_error()
from common import PROMPT_SETS, PAD
torch.set_num_threads(2)

rng = random.Random(5)
configs = []
for n in range(24):
    s = {}
    if n % 3 == 0:
        s["max_length"] = rng.choice([14, 20, 28])          # counts the padded prompt
    else:
        s["max_new_tokens"] = rng.choice([6, 12, 20])
        if n % 4 == 1:
            s["max_length"] = 9                              # max_new_tokens wins over it
    if n % 2 == 1:
        s.update(num_beams=rng.randint(2, 4), length_penalty=rng.choice([0.6, 1.0, 1.7]),
                 early_stopping=rng.choice([False, True, "never"]))
        s["num_return_sequences"] = rng.randint(1, s["num_beams"])
    if n % 5 in (1, 2):
        s["no_repeat_ngram_size"] = rng.choice([2, 3])
    if n % 5 in (2, 3):
        s["repetition_penalty"] = rng.choice([1.2, 1.5, 0.8])
    if n % 6 == 4:
        s["min_length"] = rng.choice([12, 18])
    if n % 6 == 5:
        s["min_new_tokens"] = rng.choice([3, 6])
    s["do_sample"] = False
    configs.append(dict(id=f"r5-{n:03d}", set=rng.choice(["S1", "S2", "S3", "S4"]), settings=s))

model = GPT2LMHeadModel.from_pretrained("hub").eval()
tok = AutoTokenizer.from_pretrained("hub"); tok.padding_side = "left"; tok.pad_token = tok.eos_token
for n, c in enumerate(configs):
    if n % 4 == 2 or "min_length" in c["settings"] or "min_new_tokens" in c["settings"]:
        # an end token the run reaches early (from an unstopped greedy run), so that the end and its ban both matter
        enc = tok(PROMPT_SETS[c["set"]], return_tensors="pt", padding=True); L = enc["input_ids"].shape[1]
        base = model.generate(**enc, max_new_tokens=8, do_sample=False, pad_token_id=PAD, eos_token_id=-1)
        c["settings"]["eos_token_id"] = [PAD, base[rng.randrange(base.shape[0]), L + rng.randint(1, 4)].item()]
matched = 0; problems = []
for c in configs:
    folder = f"hub-r5-{c['id']}"
    if os.path.exists(folder):
        shutil.rmtree(folder)
    shutil.copytree("hub", folder)
    with open(os.path.join(folder, "generation_config.json"), "w") as f:
        json.dump(dict(c["settings"], bos_token_id=PAD, pad_token_id=PAD), f)
    prompts = PROMPT_SETS[c["set"]]
    args = [os.environ["GPT2"], "generate", "--model", folder, "--json", "-q"] + ["--prompt=" + t for t in prompts]
    p = subprocess.run(args, capture_output=True, text=True, encoding="utf-8")
    hfm = GPT2LMHeadModel.from_pretrained(folder).eval()
    hfm.generation_config.pad_token_id = PAD   # HF reads the folder's generation_config.json
    enc = tok(prompts, return_tensors="pt", padding=True); L = enc["input_ids"].shape[1]
    try:
        with torch.no_grad():
            o = hfm.generate(**enc, pad_token_id=PAD, output_scores=True, return_dict_in_generate=True)
    except ValueError as e:
        hf_error = str(e)
    else:
        hf_error = None
    if hf_error is not None or p.returncode != 0:
        same = hf_error is not None and p.returncode != 0
        (problems.append((c["id"], "refused by one side only", hf_error, p.stderr.strip())) if not same else None)
        matched += same
        print(c["id"], "both refused" if same else "REFUSED BY ONE SIDE", flush=True)
        continue
    eos = c["settings"].get("eos_token_id", PAD); ends = set(eos) if isinstance(eos, list) else {eos}
    def cut(new):
        for i, t in enumerate(new):
            if t in ends:
                return new[:i + 1]
        return new
    out = json.loads(p.stdout)
    cli = [(s["prompt"], cut(list(s["new_ids"])), s.get("score")) for s in out["sequences"]]
    per = o.sequences.shape[0] // len(prompts)
    hf = [(r // per, cut(o.sequences[r, L:].tolist()),
           float(o.sequences_scores[r]) if getattr(o, "sequences_scores", None) is not None else None)
          for r in range(o.sequences.shape[0])]
    ok = len(cli) == len(hf) and all(a[0] == b[0] and a[1] == b[1] and
                                     (b[2] is None or (a[2] is not None and abs(a[2] - b[2]) <= 1e-4 * max(1, abs(b[2]))))
                                     for a, b in zip(cli, hf))
    matched += ok
    if not ok:
        problems.append((c["id"], c["settings"], cli, hf))
    print(c["id"], "MATCH" if ok else "MISMATCH", json.dumps(c["settings"]), flush=True)
    shutil.rmtree(folder)
for pr in problems:
    print("problem:", pr)
print(f"compared {len(configs)}, matched {matched}, mismatched {len(configs) - matched}")
