# Runs the Java CLI once per config (sequentially), caching results in cli_results.json
import json, subprocess, sys, os, time
from common import cli_args
configs = json.load(open(os.environ.get("CFG", "configs.json")))
res = json.load(open(os.environ.get("CLIRES", "cli_results.json"))) if os.path.exists(os.environ.get("CLIRES", "cli_results.json")) else {}
for c in configs:
    if c["id"] in res: continue
    args = [os.environ["GPT2"]] + cli_args(c)
    t = time.time()
    p = subprocess.run(args, capture_output=True, text=True, encoding="utf-8")
    r = {"cmd": args, "rc": p.returncode, "stderr": p.stderr[-2000:]}
    try: r["out"] = json.loads(p.stdout)
    except Exception: r["stdout"] = p.stdout[-2000:]
    res[c["id"]] = r
    json.dump(res, open(os.environ.get("CLIRES", "cli_results.json"), "w"), ensure_ascii=False)
    print(c["id"], p.returncode, round(time.time() - t, 1), flush=True)
