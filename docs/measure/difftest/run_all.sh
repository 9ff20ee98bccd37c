#!/bin/bash
# gpt2 generate against HF's generate(), config by config: ids (prompt + new, padding after the end
# token checked) and beam scores (relative 1e-4). Needs a Python with torch and transformers:
#   HF_PYTHON=/root/hfenv/bin/python bash docs/measure/difftest/run_all.sh [WORK_DIR]
# One process at a time; about 25 minutes on 2 cores. Results: WORK_DIR/compare*.log, *.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
PY="${HF_PYTHON:?set HF_PYTHON to a Python with torch and transformers}"
export GPT2="$repo/gpt2"
work="${1:-$(mktemp -d -t gpt2-difftest.XXXXXX)}"
mkdir -p "$work" && cd "$work"
echo "difftest: working in $work"
[ -d hub ]  || { "$GPT2" fixture --seed 1 --n-layer 2 --n-embd 64 --n-head 4 --n-ctx 128 --out ckpt && "$GPT2" convert ckpt --out hub; }
[ -d hub2 ] || { "$GPT2" fixture --seed 7 --n-layer 3 --n-embd 96 --n-head 6 --n-ctx 128 --out ckpt2 && "$GPT2" convert ckpt2 --out hub2; }
rm -f cli_results*.json
round() { # round N: its configs, the CLI on each, the comparison
  local n="$1" cfg="configs$1.json" suffix="$1"
  [ "$n" = 1 ] && { cfg=configs.json; suffix=; }
  "$PY" "$here/make_configs${suffix}.py"
  CFG="$cfg" CLIRES="cli_results${suffix}.json" "$PY" "$here/run_cli.py"
  CFG="$cfg" CLIRES="cli_results${suffix}.json" OUT="compare_results${suffix}.json" "$PY" "$here/compare.py" | tee "compare${suffix}.log"
}
round 1; round 2; round 3; round 4
"$PY" "$here/sens.py"
# round 5: the settings in a folder's generation_config.json, no generation option on either side
PYTHONPATH="$here" "$PY" "$here/folder_settings.py" | grep -v '^Loading weights' | tee compare5.log
grep -h '^compared' compare*.log
