# Runs HF generate for every config in configs.json, compares with cli_results.json, analyses gaps for mismatches.
import json, sys, os, math, torch, warnings
warnings.filterwarnings("ignore")
from transformers import GPT2LMHeadModel, AutoTokenizer, LogitsProcessor, LogitsProcessorList
from transformers.utils import logging as hl
hl.set_verbosity_error()
from common import *
torch.set_num_threads(2)
configs = json.load(open(os.environ.get("CFG", "configs.json")))
cli = json.load(open(os.environ.get("CLIRES", "cli_results.json")))
only = set(sys.argv[1:])

class Recorder(LogitsProcessor):
    def __init__(self): self.steps = []
    def __call__(self, input_ids, scores):
        self.steps.append((input_ids.clone(), scores.clone())); return scores

def norm_new(new, eos):
    """cut after the first end token, one id or a list (inclusive); return (kept, trailing_ok)"""
    ends = set(eos) if isinstance(eos, list) else ({eos} if eos is not None else set())
    for i, t in enumerate(new):
        if t in ends:
            rest = new[i + 1:]
            return new[:i + 1], all(t == PAD for t in rest)
    return new, True

models = {}
def get(mdir):
    if mdir not in models:
        m = GPT2LMHeadModel.from_pretrained(mdir).eval(); t = AutoTokenizer.from_pretrained(mdir)
        t.padding_side = "left"; t.pad_token = t.eos_token; models[mdir] = (m, t)
    return models[mdir]

def hf_run(cfg, extra=None):
    m, tok = get(cfg["model"])
    enc = tok(cfg["prompts"], return_tensors="pt", padding=True)
    kw = hf_kwargs(cfg); kw.update(extra or {})
    with torch.no_grad():
        o = m.generate(**enc, output_scores=True, return_dict_in_generate=True, **kw)
    return enc, o, kw

def hf_seqs(cfg, enc, o, nrs, eos):
    L = enc["input_ids"].shape[1]; out = []
    for b in range(len(cfg["prompts"])):
        pl = int(enc["attention_mask"][b].sum()); prompt = enc["input_ids"][b, L - pl:].tolist()
        for r in range(nrs):
            row = b * nrs + r
            new, ok = norm_new(o.sequences[row, L:].tolist(), eos)
            sc = float(o.sequences_scores[row]) if getattr(o, "sequences_scores", None) is not None else None
            out.append(dict(prompt=b, prompt_ids=prompt, new=new, trailing_ok=ok, score=sc, row=row))
    return out

def cli_seqs(r, eos):
    out = []
    for s in r["out"]["sequences"]:
        pids = r["out"]["prompts"][s["prompt"]]["ids"]
        new, ok = norm_new(list(s["new_ids"]), eos)
        full_ok = list(s["ids"]) == pids + list(s["new_ids"])
        out.append(dict(prompt=s["prompt"], prompt_ids=pids, new=new, trailing_ok=ok and full_ok, score=s.get("score")))
    return out

def first_diff(a, b):
    for i in range(max(len(a), len(b))):
        if i >= len(a) or i >= len(b) or a[i] != b[i]: return i
    return None

def greedy_gap(cfg, row, step):
    enc, o, kw = hf_run(cfg)
    s = o.scores[step][row]; top = torch.topk(s.double(), 3)
    return dict(step=step, top_ids=top.indices.tolist(), top_scores=[round(x, 6) for x in top.values.tolist()],
                gap=float(top.values[0] - top.values[1]))

def beam_gaps(cfg, b, upto):
    """min adjacent gap among the top 2*nb+1 candidate beam scores of batch item b, per step <= upto;
       plus adjacent gaps between final hypothesis scores (num_return_sequences=num_beams)."""
    nb = cfg["params"]["num_beams"]; rec = Recorder()
    enc, o, kw = hf_run(cfg, dict(logits_processor=LogitsProcessorList([rec]), num_return_sequences=nb))
    L = enc["input_ids"].shape[1]; cum = {}; per_step = []
    for t, (ids, sc) in enumerate(rec.steps):
        if t > upto: break
        rows = list(range(b * nb, (b + 1) * nb)); cands = []; seen = set()
        for j in rows:
            pref = tuple(ids[j, L:].tolist())
            if pref in seen: continue
            seen.add(pref)
            base = 0.0 if t == 0 else cum.get(pref)
            if base is None: continue
            v = sc[j].double() + base
            top = torch.topk(v, 2 * nb + 1)
            for val, tokid in zip(top.values.tolist(), top.indices.tolist()):
                cands.append((val, pref + (tokid,)))
                cum[pref + (tokid,)] = val
        cands.sort(key=lambda x: -x[0]); vals = [c[0] for c in cands[:2 * nb + 1]]
        gaps = [vals[i] - vals[i + 1] for i in range(len(vals) - 1)]
        per_step.append(min(gaps))
    fin = sorted([float(x) for x in o.sequences_scores[b * nb:(b + 1) * nb]], reverse=True)
    fgaps = [fin[i] - fin[i + 1] for i in range(len(fin) - 1)]
    return dict(min_step_gap=min(per_step) if per_step else None, argmin_step=per_step.index(min(per_step)) if per_step else None,
                step_gaps=[round(g, 7) for g in per_step], final_scores=[round(x, 6) for x in fin],
                min_final_gap=min(fgaps) if fgaps else None)

results = []
for cfg in configs:
    if only and cfg["id"] not in only: continue
    r = cli.get(cfg["id"])
    rec = dict(id=cfg["id"], cfg=cfg, cli_cmd=r["cmd"] if r else None, hf_kwargs=hf_kwargs(cfg))
    if r is None or "out" not in r:
        rec.update(status="CLI_ERROR", detail=(r or {}).get("stderr")); results.append(rec); print(cfg["id"], "CLI_ERROR"); continue
    p = cfg["params"]; eos = p.get("eos_token_id", 50256)
    nrs = p.get("num_return_sequences", 1) if p.get("num_beams", 1) > 1 else 1
    enc, o, kw = hf_run(cfg)
    H = hf_seqs(cfg, enc, o, nrs, eos); C = cli_seqs(r, eos)
    problems = []
    if len(H) != len(C): problems.append(f"count hf={len(H)} cli={len(C)}")
    for i, (h, c) in enumerate(zip(H, C)):
        d = dict(i=i, prompt=h["prompt"], hf_new=h["new"], cli_new=c["new"], hf_score=h["score"], cli_score=c["score"])
        if c["prompt"] != h["prompt"]: problems.append(dict(kind="order", **d))
        if c["prompt_ids"] != h["prompt_ids"]: problems.append(dict(kind="tokenize", hf=h["prompt_ids"], cli=c["prompt_ids"], **d))
        if not h["trailing_ok"] or not c["trailing_ok"]: problems.append(dict(kind="trailing", hf_ok=h["trailing_ok"], cli_ok=c["trailing_ok"], **d))
        if c["new"] != h["new"]:
            problems.append(dict(kind="ids", first_diff=first_diff(h["new"], c["new"]), **d))
        elif h["score"] is not None:
            if c["score"] is None or abs(c["score"] - h["score"]) > 1e-4 * max(1.0, abs(h["score"])):
                problems.append(dict(kind="score", **d))
    rec["hf"] = H; rec["cli"] = C
    if not problems:
        rec["status"] = "MATCH"
    else:
        rec["status"] = "MISMATCH"; rec["problems"] = problems
        # gap analysis on the first ids problem
        idp = [q for q in problems if isinstance(q, dict) and q["kind"] in ("ids", "score")]
        if idp:
            q = idp[0]
            try:
                if nrs == 1 and p.get("num_beams", 1) == 1:
                    rec["gap"] = greedy_gap(cfg, H[q["i"]]["row"], min(q.get("first_diff") or 0, cfg["max_new_tokens"] - 1))
                else:
                    rec["gap"] = beam_gaps(cfg, q["prompt"], cfg["max_new_tokens"])
            except Exception as e:
                rec["gap"] = dict(error=repr(e))
    results.append(rec)
    print(cfg["id"], rec["status"], json.dumps(rec.get("gap", ""))[:300], flush=True)
json.dump(results, open(os.environ.get("OUT", "compare_results.json") if not only else "compare_subset.json", "w"), indent=1, ensure_ascii=False)
n = len(results); mm = [x for x in results if x["status"] != "MATCH"]
print(f"compared {n}, matched {n - len(mm)}, mismatched {len(mm)}")
