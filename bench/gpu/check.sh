#!/usr/bin/env bash
# The prepared GPU check of issue 13, for a device machine (python3 with torch and transformers, g++, no JDK,
# no network): builds DJL's JNI for the machine's torch, then runs `gpt2 env`, the GPU benchmark beside HF
# (bench/run gpu) and the kit's goldens on cuda (gpt2 verify --device cuda). Needs bench/gpu/carry from
# bench/gpu/pack.sh. Every stage has a time limit; results go to $OUT (or bench-work/gpu-check).
#   bash bench/gpu/check.sh [runs]        (default 3; extra arguments go to bench/run gpu, e.g. --cpu-dry-run)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
carry="$root/bench/gpu/carry"
out="${OUT:-$root/bench-work/gpu-check}"
mkdir -p "$out"
[[ -f "$carry/bundle.tar.xz" ]] || { echo "check: no $carry/bundle.tar.xz: run bench/gpu/pack.sh where the JDK is, and carry bench/gpu/carry"; exit 2; }
unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
tar -C "$unpacked" -xJf "$carry/bundle.tar.xz" || { echo "check: cannot unpack $carry/bundle.tar.xz"; exit 2; }
py="${GPU_CHECK_PYTHON:-python3}"
export JAVA_HOME="$unpacked/jre"
export PATH="$JAVA_HOME/bin:$PATH"
stage() { # stage NAME SECONDS command...: one log per stage, its exit status and time said in one line
  local name=$1 limit=$2; shift 2
  local start=$SECONDS
  timeout "$limit" "$@" > "$out/$name.log" 2>&1
  local rc=$?
  echo "stage $name: exit $rc in $((SECONDS - start)) s (limit $limit s), log $out/$name.log" | tee -a "$out/summary.txt"
  tail -n 40 "$out/$name.log"
  return $rc
}
echo "gpu check of commit $(cat "$unpacked/commit" 2>/dev/null || echo unknown), $(date -u +%FT%TZ)" | tee "$out/summary.txt"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | tee -a "$out/summary.txt"
stage jni 240 bash native/build-djl-jni.sh "$py" || exit 1
eval "$(bash native/build-djl-jni.sh "$py" 2>/dev/null)"
# DJL finds the GPU through libcudart (JNA): pip's nvidia/cuda_runtime/lib, where a CUDA torch keeps it
cudart="$("$py" -c 'import os, nvidia.cuda_runtime as c; print(os.path.join(list(c.__path__)[0], "lib"))' 2>/dev/null || true)"
[[ -n "$cudart" ]] && export LD_LIBRARY_PATH="$cudart:${LD_LIBRARY_PATH:-}"
source cli/launch-env.sh # the launcher's thread-pool waits and collector flags
cp="$unpacked/lib/*"
java_opts=(-Xmx24g "${gpt2_gc_flags[@]}" -Dai.djl.offline=true ${cudart:+-Djna.library.path=$cudart})
stage env 120 java "${java_opts[@]}" -cp "$cp" net.gpt2j.cli.Gpt2 env
stage bench 420 java "${java_opts[@]}" -cp "$cp" net.gpt2j.bench.Main gpu "${@:-3}" --hf-python "$py"
device=cuda
[[ " $* " == *" --cpu-dry-run "* ]] && device=cpu
stage verify 300 java "${java_opts[@]}" -cp "$cp" net.gpt2j.cli.Gpt2 verify --device "$device" --report-dir "$out/verify"
echo "done: $out/summary.txt" | tee -a "$out/summary.txt"
