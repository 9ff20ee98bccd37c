#!/usr/bin/env python3
"""Record gpt2j golden files with HuggingFace transformers (format: golden/README.md, FORMAT.md).

    python record_goldens.py --fixtures ../data/fixtures.json --out OUT [--vocab ../data/openai-gpt2-117M]
    python record_goldens.py --checkpoint models/124M --fixtures ../data/fixtures.json --out OUT
    python record_goldens.py --fixtures ../data/fixtures.json --format-gaps --out OUT

Needs transformers, torch and numpy only (plus tensorflow for --checkpoint). Written against the
format, not yet run here: no machine of this project has transformers (see README.md).
"""
import argparse, base64, json, os
import numpy as np
import torch
import transformers
from transformers import GPT2Config, GPT2LMHeadModel, GPT2Tokenizer
from transformers.generation.logits_process import TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

END = 50256
PROBE_IDS = [0, 1, 2, 11, 13, 198, 262, 50256]
WARPERS = [(0.7, 50, 1.0), (0.5, 0, 0.9), (1.3, 20, 0.8), (0.25, 0, 0.95)]
GREEDY_VARIANTS = [{}, {"no_repeat_ngram_size": 2}, {"repetition_penalty": 1.3}]
BEAM_VARIANTS = [{"num_beams": 4}, {"num_beams": 5, "no_repeat_ngram_size": 2},
                 {"num_beams": 5, "no_repeat_ngram_size": 3, "length_penalty": 0.6},
                 {"num_beams": 3, "length_penalty": 2.0, "early_stopping": True}]
EOS_BEAM_VARIANTS = [{"num_beams": 4}, {"num_beams": 4, "early_stopping": True, "no_repeat_ngram_size": 2}]
# --format-gaps: fixtures beyond fixtures.json that exercise the format's edges (FIXTURES.md, "Format-gap fixtures")
SEED_MAX = 2 ** 64 - 1  # FIXTURES.md: the seed is unsigned 64-bit
GAP_FIXTURES = [
    ("seed-max", SEED_MAX, {"n_vocab": 50257, "n_ctx": 32, "n_embd": 32, "n_head": 2, "n_layer": 2}),
    ("padded-vocab", 3, {"n_vocab": 50304, "n_ctx": 32, "n_embd": 32, "n_head": 2, "n_layer": 1}),  # 50304 = 50257 padded to 64
]


# ---- FIXTURES.md: seeded float32 weights, unsigned 64-bit wrapping arithmetic -------------------
def fnv1a64(name):
    h = 0xcbf29ce484222325
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def center_scale(name):
    last = name.rsplit("/", 1)[1]
    if last == "w":
        return 0.0, (1 / 16 if name.endswith("mlp/c_proj/w") else 1 / 8)
    return {"wte": (0.0, 1 / 4), "wpe": (0.0, 1 / 8), "g": (1.0, 1 / 8), "b": (0.0, 1 / 16)}[last]


def synthetic_values(seed, name, shape):
    n = int(np.prod(shape))
    key = np.uint64((seed ^ fnv1a64(name)) & 0xFFFFFFFFFFFFFFFF)
    with np.errstate(over="ignore"):
        z = key + (np.arange(n, dtype=np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    r = (z >> np.uint64(40)).astype(np.float64) / float(1 << 23) - 1.0  # exact, in [-1, 1)
    center, scale = center_scale(name)
    return (center + scale * r).astype(np.float32).reshape(shape)  # rounded once, nearest-even


def variables(hp):
    e, out = hp["n_embd"], [("model/wte", [hp["n_vocab"], hp["n_embd"]]), ("model/wpe", [hp["n_ctx"], hp["n_embd"]])]
    for i in range(hp["n_layer"]):
        h = f"model/h{i}/"
        out += [(h + "ln_1/g", [e]), (h + "ln_1/b", [e]), (h + "attn/c_attn/w", [1, e, 3 * e]), (h + "attn/c_attn/b", [3 * e]),
                (h + "attn/c_proj/w", [1, e, e]), (h + "attn/c_proj/b", [e]), (h + "ln_2/g", [e]), (h + "ln_2/b", [e]),
                (h + "mlp/c_fc/w", [1, e, 4 * e]), (h + "mlp/c_fc/b", [4 * e]), (h + "mlp/c_proj/w", [1, 4 * e, e]),
                (h + "mlp/c_proj/b", [e])]
    return out + [("model/ln_f/g", [e]), ("model/ln_f/b", [e])]


def hf_name(openai_name):
    """model/h3/attn/c_attn/w -> transformer.h.3.attn.c_attn.weight (Conv1D keeps [in, out])."""
    parts = openai_name.split("/")[1:]
    leaf = {"w": "weight", "b": "bias", "g": "weight"}.get(parts[-1])
    if parts[0] in ("wte", "wpe"):
        return f"transformer.{parts[0]}.weight"
    if parts[0].startswith("h"):
        return "transformer.h." + parts[0][1:] + "." + ".".join(parts[1:-1]) + "." + leaf
    return "transformer.ln_f." + leaf


def build_model(hp, named_arrays):
    config = GPT2Config(vocab_size=hp["n_vocab"], n_positions=hp["n_ctx"], n_ctx=hp["n_ctx"], n_embd=hp["n_embd"],
                        n_layer=hp["n_layer"], n_head=hp["n_head"], layer_norm_epsilon=1e-5,
                        activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    model = GPT2LMHeadModel(config)
    state = {hf_name(n): torch.from_numpy(np.ascontiguousarray(a.reshape(a.shape[1:] if a.shape[0] == 1 and a.ndim == 3 else a.shape)))
             for n, a in named_arrays}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected, unexpected
    assert all(k == "lm_head.weight" or k.endswith(".attn.bias") or k.endswith("masked_bias") for k in missing), missing
    model.tie_weights()
    return model.eval().float()


def checkpoint_arrays(ckpt_dir, hp):
    import tensorflow as tf  # only for real OpenAI checkpoints
    path = tf.train.latest_checkpoint(ckpt_dir)
    return [(n, tf.train.load_variable(path, n).astype(np.float32)) for n, _ in variables(hp)]


# ---- recording helpers --------------------------------------------------------------------------
def b64(t):
    return base64.b64encode(np.ascontiguousarray(t.detach().cpu().numpy(), dtype="<f4").tobytes()).decode("ascii")


def pairs(row, ids):
    return [[int(i), float(row[i])] for i in ids]


@torch.no_grad()
def record_logits(model, ids):
    logits = model(torch.tensor([ids])).logits[0]
    positions = []
    for row in logits:
        top = torch.topk(row, 10).indices.tolist()
        positions.append({"logsumexp": float(torch.logsumexp(row.double(), 0)), "argmax": int(torch.argmax(row)),
                          "top": pairs(row, top), "probe": pairs(row, PROBE_IDS)})
    return {"input_ids": ids, "positions": positions, "last_full_f32le_b64": b64(logits[-1])}


def min_top2_gap(scores):
    return min(float((s.topk(2, dim=-1).values[:, 0] - s.topk(2, dim=-1).values[:, 1]).min()) for s in scores)


@torch.no_grad()
def sequence_logprob(model, prompt, output):
    logp = torch.log_softmax(model(torch.tensor([output])).logits[0].double(), -1)
    return float(sum(logp[p - 1, output[p]] for p in range(len(prompt), len(output))))


@torch.no_grad()
def record_greedy(model, ids, max_new, with_logprob=True, **kw):
    out = model.generate(torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long), do_sample=False,
                         max_new_tokens=max_new, pad_token_id=END, output_scores=True, return_dict_in_generate=True, **kw)
    seq = out.sequences[0].tolist()
    case = {"input_ids": ids, "max_new_tokens": max_new, **kw, "output_ids": seq, "min_top2_gap": min_top2_gap(out.scores)}
    if with_logprob:
        case["sequence_logprob"] = sequence_logprob(model, ids, seq)
    return case


@torch.no_grad()
def record_beam(model, ids, max_new, **kw):
    out = model.generate(torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long), do_sample=False,
                         max_new_tokens=max_new, num_return_sequences=kw["num_beams"], pad_token_id=END,
                         output_scores=True, return_dict_in_generate=True, **kw)
    return {"input_ids": ids, "max_new_tokens": max_new, **kw, "sequences": out.sequences.tolist(),
            "sequences_scores": [float(s) for s in out.sequences_scores]}


@torch.no_grad()
def record_batch(model, batch, max_new):
    width = max(len(b) for b in batch)
    ids = [[END] * (width - len(b)) + b for b in batch]
    mask = [[0] * (width - len(b)) + [1] * len(b) for b in batch]
    out = model.generate(torch.tensor(ids), attention_mask=torch.tensor(mask), do_sample=False, max_new_tokens=max_new,
                         pad_token_id=END, output_scores=True, return_dict_in_generate=True)
    return {"padding_side": "left", "pad_token_id": END, "input_ids": ids, "attention_mask": mask, "max_new_tokens": max_new,
            "output_ids": out.sequences.tolist(), "min_top2_gap": min_top2_gap(out.scores)}


@torch.no_grad()
def record_warper(model, ids, temperature, top_k, top_p):
    scores = model(torch.tensor([ids])).logits[:, -1, :]
    inp = torch.tensor([ids])
    scores = TemperatureLogitsWarper(temperature)(inp, scores)
    if top_k > 0:
        scores = TopKLogitsWarper(top_k)(inp, scores)
    if top_p < 1.0:
        scores = TopPLogitsWarper(top_p)(inp, scores)
    probs = torch.softmax(scores, -1)[0]
    kept = int((probs > 0).sum())
    top = torch.topk(probs, min(50, kept))
    return {"input_ids": ids, "temperature": temperature, "top_k": top_k, "top_p": top_p, "kept": kept,
            "top_ids": top.indices.tolist(), "top_probs": [float(p) for p in top.values]}


@torch.no_grad()
def record_perplexity(model, tok, text, max_length, stride):
    ids = torch.tensor([tok.encode(text)])
    nlls, prev_end = [], 0
    for begin in range(0, ids.size(1), stride):  # HF's perplexity recipe (docs: perplexity.md)
        end = min(begin + max_length, ids.size(1))
        window = ids[:, begin:end]
        target = window.clone()
        target[:, :-(end - prev_end)] = -100
        nlls.append(model(window, labels=target).loss)
        prev_end = end
        if end == ids.size(1):
            break
    return {"text": text, "max_length": max_length, "stride": stride, "ppl": float(torch.exp(torch.stack(nlls).mean()))}


@torch.no_grad()
def record_activations(model, ids):
    got, hooks, t = {}, [], model.transformer

    def keep(name, split=False):
        def hook(_module, _inputs, output):
            out = (output[0] if isinstance(output, tuple) else output)[0]
            if split:
                for part, chunk in zip(("q", "k", "v"), out.split(out.shape[-1] // 3, dim=-1)):
                    got[f"{name}.{part}"] = chunk
            else:
                got[name] = out
        return hook

    hooks.append(t.drop.register_forward_hook(keep("embed")))
    for i, block in enumerate(t.h):
        for name, module, split in [("ln_1", block.ln_1, False), ("attn", block.attn.c_attn, True),
                                    ("attn", block.attn.c_proj, False), ("ln_2", block.ln_2, False),
                                    ("mlp.c_fc", block.mlp.c_fc, False), ("mlp", block.mlp, False), ("out", block, False)]:
            hooks.append(module.register_forward_hook(keep(f"h{i}.{name}", split)))
    hooks.append(t.ln_f.register_forward_hook(keep("ln_f")))
    model(torch.tensor([ids]))
    for h in hooks:
        h.remove()
    order = ["embed"] + [f"h{i}.{p}" for i in range(len(t.h)) for p in
                         ("ln_1", "attn.q", "attn.k", "attn.v", "attn", "ln_2", "mlp.c_fc", "mlp", "out")] + ["ln_f"]
    return [{"name": n, "shape": list(got[n].shape), "max_abs": float(got[n].abs().max()), "f32le_b64": b64(got[n])} for n in order]


# ---- files --------------------------------------------------------------------------------------
def recorded_with():
    return {"transformers": transformers.__version__, "torch": torch.__version__, "device": "cpu", "dtype": "float32"}


def write(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
    print("wrote", path)


def record_model(model, tok, fixture, seed, hp, arrays, prompts, out_dir):
    ids = [tok.encode(p) for p in prompts]
    greedy, beam = [], []
    for p in ids:
        greedy += [record_greedy(model, p, 24, **v) for v in GREEDY_VARIANTS]
    for p in ids[:3]:  # end-token cases: the first token plain greedy picks becomes the end token
        eos = record_greedy(model, p, 1, with_logprob=False)["output_ids"][-1]
        greedy.append(record_greedy(model, p, 16, with_logprob=False, eos_token_id=eos))
        beam += [record_beam(model, p, 16, **v) for v in BEAM_VARIANTS]
        beam += [record_beam(model, p, 16, eos_token_id=eos, **v) for v in EOS_BEAM_VARIANTS]
    text = (" ".join(prompts)) * 3
    doc = {"format": "gpt2-golden/1", "recorded_with": recorded_with(), "fixture": fixture, "seed": seed, "hparams": hp,
           "check": {n: [float(x) for x in a.reshape(-1)[:4]] for n, a in arrays[:3]},
           "logits": [record_logits(model, p) for p in ids], "greedy": greedy, "beam": beam,
           "batch_greedy": [record_batch(model, ids[:3], 12)],
           "warpers": [record_warper(model, ids[0], *w) for w in WARPERS],
           "perplexity": [record_perplexity(model, tok, text, hp["n_ctx"], hp["n_ctx"] // 2)]}
    write(os.path.join(out_dir, f"hf-{transformers.__version__}", f"{fixture}.golden.json"), doc)
    write(os.path.join(out_dir, "activations", f"{fixture}.activations.json"),
          {"format": "gpt2-activations/1", "recorded_with": recorded_with(), "fixture": fixture, "seed": seed, "hparams": hp,
           "input_ids": ids[1], "probes": record_activations(model, ids[1])})


def gap_cases(model, ids):
    """min_new_tokens and a list-valued eos_token_id, on an end token plain greedy really reaches.

    The end token is the token plain greedy generates at step 3, provided steps 0..2 do not hold it:
    a port that ignores min_new_tokens then stops at step 3 instead of running on, and one that reads
    only the first id of an eos list never stops.
    """
    plain = record_greedy(model, ids, 12, with_logprob=False)["output_ids"][len(ids):]
    step = next((s for s in range(3, len(plain)) if plain[s] not in plain[:s]), None)
    if step is None:
        return [], []
    eos = plain[step]
    greedy = [record_greedy(model, ids, 12, with_logprob=False, eos_token_id=eos, min_new_tokens=step + 3),
              record_greedy(model, ids, 12, with_logprob=False, eos_token_id=[END, eos]),
              record_greedy(model, ids, 12, with_logprob=False, eos_token_id=[END, eos], min_new_tokens=step + 2)]
    beam = [record_beam(model, ids, 12, num_beams=4, eos_token_id=eos, min_new_tokens=step + 3),
            record_beam(model, ids, 12, num_beams=3, eos_token_id=[END, eos])]
    return greedy, beam


def record_format_gaps(tok, spec, out_dir):
    """Small model goldens for the format's edges: min_new_tokens and eos lists on the first fixture,
    then each GAP_FIXTURES model (unsigned 64-bit seed, padded vocabulary) with logits, greedy, beam."""
    fx = spec["fixtures"][0]
    prompts = spec["prompts"][:3]
    hp = fx["hparams"]
    arrays = [(n, synthetic_values(fx["seed"], n, s)) for n, s in variables(hp)]
    model = build_model(hp, arrays)
    greedy, beam = [], []
    for p in prompts:
        g, b = gap_cases(model, tok.encode(p))
        greedy += g
        beam += b
    write(os.path.join(out_dir, f"hf-{transformers.__version__}", f"{fx['name']}-format-gaps.golden.json"),
          {"format": "gpt2-golden/1", "recorded_with": recorded_with(), "fixture": fx["name"], "seed": fx["seed"],
           "hparams": hp, "check": {n: [float(x) for x in a.reshape(-1)[:4]] for n, a in arrays[:3]},
           "logits": [record_logits(model, tok.encode(prompts[0]))], "greedy": greedy, "beam": beam})
    for name, seed, hp in GAP_FIXTURES:
        arrays = [(n, synthetic_values(seed, n, s)) for n, s in variables(hp)]
        model = build_model(hp, arrays)
        ids = [tok.encode(p) for p in (prompts[0], prompts[2])]  # short prompts: these models have n_ctx 32
        write(os.path.join(out_dir, f"hf-{transformers.__version__}", f"{name}.golden.json"),
              {"format": "gpt2-golden/1", "recorded_with": recorded_with(), "fixture": name, "seed": seed, "hparams": hp,
               "check": {n: [float(x) for x in a.reshape(-1)[:4]] for n, a in arrays[:3]},
               "logits": [record_logits(model, p) for p in ids],
               "greedy": [record_greedy(model, p, 12) for p in ids],
               "beam": [record_beam(model, ids[0], 8, num_beams=3)]})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixtures", required=True, help="fixtures.json: fixtures (name, seed, hparams) and prompts")
    ap.add_argument("--out", required=True, help="output folder (hf-<version>/, activations/, tokenizer.golden.json)")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--vocab", default=os.path.join(here, "..", "data", "openai-gpt2-117M"), help="folder with encoder.json, vocab.bpe")
    ap.add_argument("--tokenizer-cases", default=os.path.join(here, "..", "data", "tokenizer-cases.json"))
    ap.add_argument("--checkpoint", help="a real OpenAI checkpoint folder (hparams.json, model.ckpt.*) instead of the fixtures")
    ap.add_argument("--format-gaps", action="store_true",
                    help="record only the format-gap goldens (min_new_tokens, eos lists, a 2^64-1 seed, a padded vocabulary)")
    args = ap.parse_args()
    torch.manual_seed(0)
    spec = json.load(open(args.fixtures, encoding="utf-8"))
    vocab = args.checkpoint or args.vocab
    tok = GPT2Tokenizer(os.path.join(vocab, "encoder.json"), os.path.join(vocab, "vocab.bpe"))
    if args.format_gaps:
        record_format_gaps(tok, spec, args.out)
        return
    if args.checkpoint:
        hp = json.load(open(os.path.join(args.checkpoint, "hparams.json")))
        arrays = checkpoint_arrays(args.checkpoint, hp)
        name = os.path.basename(os.path.normpath(args.checkpoint))
        record_model(build_model(hp, arrays), tok, name, 0, hp, arrays, spec["prompts"], args.out)
    else:
        for fx in spec["fixtures"]:
            hp = fx["hparams"]
            arrays = [(n, synthetic_values(fx["seed"], n, s)) for n, s in variables(hp)]
            record_model(build_model(hp, arrays), tok, fx["name"], fx["seed"], hp, arrays, spec["prompts"], args.out)
    texts = json.load(open(args.tokenizer_cases, encoding="utf-8"))
    cases = []
    for t in texts:
        ids = tok.encode(t)
        cases.append({"text": t, "ids": ids, "decoded": tok.decode(ids, clean_up_tokenization_spaces=False)})
    write(os.path.join(args.out, "tokenizer.golden.json"),
          {"format": "gpt2-tokenizer-golden/1", "recorded_with": {"transformers": transformers.__version__,
           "tokenizer": "GPT2Tokenizer, encoder.json + vocab.bpe"}, "special_tokens": {"<|endoftext|>": END}, "cases": cases})


if __name__ == "__main__":
    main()
