import json
LONG = ("In the beginning the Universe was created. This has made a lot of people very angry and been widely "
        "regarded as a bad move. Many races believe that it was created by some sort of god, though the Jatravartid "
        "people of Viltvodle VI believe that the entire Universe was in fact sneezed out of the nose of a being called "
        "the Great Green Arkleseizure. The Jatravartids, who live in perpetual fear of the time they call The Coming of "
        "the Great White Handkerchief, are small blue creatures with more than fifty arms each")
PROMPT_SETS = {
  "S1": ["Hello world"],
  "S2": ["Hello world", " The quick brown fox jumps over the lazy dog."],
  "S3": ["Café naïve — 日本語 🙂", "  leading spaces", "line one\nline two\n", "x"],
  "S4": [" a", "Once upon a time, in a land far away,", "\n\nnewlines first"],
  "S5": ["alpha beta gamma", "The rain in Spain stays mainly", "z"],   # via --prompt-file
  "LONG": [LONG],
  "LONGB": [LONG, "short one"],
}
PAD = 50256

def cli_args(cfg):
    a = ["generate", "--model", cfg["model"], "--json", "--max-new-tokens", str(cfg["max_new_tokens"])]
    p = cfg["params"]
    if p.get("num_beams", 1) > 1:
        a += ["--num-beams", str(p["num_beams"]), "--length-penalty", repr(float(p["length_penalty"])),
              "--early-stopping", {False: "false", True: "true", "never": "never"}[p["early_stopping"]],
              "--num-return-sequences", str(p["num_return_sequences"])]
    if p.get("no_repeat_ngram_size", 0): a += ["--no-repeat-ngram-size", str(p["no_repeat_ngram_size"])]
    if p.get("repetition_penalty", 1.0) != 1.0: a += ["--repetition-penalty", repr(float(p["repetition_penalty"]))]
    if p.get("min_new_tokens", 0): a += ["--min-new-tokens", str(p["min_new_tokens"])]
    eos = p.get("eos_token_id")
    if eos is not None: a += ["--eos-token-id", ",".join(map(str, eos)) if isinstance(eos, list) else str(eos)]
    if cfg.get("prompt_file"):
        a += ["--prompt-file", cfg["prompt_file"]]
    else:
        a += ["--prompt=" + t for t in cfg["prompts"]]
    return a

def hf_kwargs(cfg):
    p = cfg["params"]
    kw = dict(max_new_tokens=cfg["max_new_tokens"], do_sample=False, pad_token_id=PAD)
    if p.get("num_beams", 1) > 1:
        kw.update(num_beams=p["num_beams"], length_penalty=float(p["length_penalty"]),
                  early_stopping=p["early_stopping"], num_return_sequences=p["num_return_sequences"])
    for k, d in (("no_repeat_ngram_size", 0), ("repetition_penalty", 1.0), ("min_new_tokens", 0)):
        if p.get(k, d) != d: kw[k] = p[k]
    if p.get("eos_token_id") is not None: kw["eos_token_id"] = p["eos_token_id"]
    return kw
