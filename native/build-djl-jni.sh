#!/usr/bin/env bash
# Builds DJL 0.35.1's JNI bridge (libdjl_torch.so) against the torch that a Python imports, and puts it
# where DJL looks for it, so the runtime can run on that libtorch instead of the 2.7.1 CPU natives it
# ships with: a newer CPU torch, or a CUDA torch on a machine with no internet (native/README.md).
#   native/build-djl-jni.sh [PYTHON]      (default: python3; needs g++ and a JDK's include/ folder)
# Prints the environment to export for ./gpt2 and bench/run. g++ only: no cmake, no CUDA headers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py="${1:-python3}"
src="$here/djl-0.35.1-jni"
djl_version=0.35.1

fail() { echo "build-djl-jni: $*" >&2; exit 1; }
command -v g++ >/dev/null || fail "g++ not found (it compiles the JNI bridge)"
command -v "$py" >/dev/null || fail "no Python '$py' (give the one whose torch to use as the first argument)"
info="$("$py" -c 'import torch, os; d = os.path.dirname(torch.__file__); print(d + "/include", d + "/lib", int(torch._C._GLIBCXX_USE_CXX11_ABI), torch.__version__)' 2>/dev/null)" \
  || fail "$py cannot import torch"
read -r tinc tlib abi version <<<"$info"
base="${version%%+*}"                       # 2.13.0+cpu -> 2.13.0
flavor="cpu"
[[ "$version" == *+cu* ]] && flavor="${version##*+}"   # 2.11.0+cu130 -> cu130

jinc="${JAVA_HOME:+$JAVA_HOME/include}"
if [[ -z "$jinc" || ! -f "$jinc/jni.h" ]]; then
  javac_path="$(command -v javac || true)"
  [[ -n "$javac_path" ]] && jinc="$(dirname "$(dirname "$(readlink -f "$javac_path")")")/include"
fi
[[ -f "${jinc:-}/jni.h" ]] || fail "no jni.h: set JAVA_HOME to a JDK (a JRE has no include/ folder)"

dest_dir="$HOME/.djl.ai/pytorch/$base-$flavor-linux-x86_64"
dest="$dest_dir/$djl_version-libdjl_torch.so"
if [[ -f "$dest" && "${REBUILD:-0}" != 1 ]]; then
  echo "build-djl-jni: $dest exists (REBUILD=1 builds it again)" >&2
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "build-djl-jni: compiling against torch $version in $tlib (a few minutes of CPU) ..." >&2
  ls "$src"/native/*.cc | xargs -P "$(nproc)" -I{} sh -c 'g++ -O2 -w -fPIC -std=gnu++17 -D_GLIBCXX_USE_CXX11_ABI='"$abi"' -DNDEBUG -I'"$src"'/include -I'"$src"'/utils -I'"$tinc"' -I'"$tinc"'/torch/csrc/api/include -I'"$jinc"' -I'"$jinc"'/linux -c {} -o '"$work"'/$(basename {} .cc).o' \
    || fail "compiling DJL's JNI against torch $version failed (see the compiler's lines above)"
  g++ -shared -o "$work/libdjl_torch.so" "$work"/*.o -L"$tlib" -ltorch -ltorch_cpu -lc10 -Wl,-rpath,"$tlib" \
    || fail "linking against $tlib failed"
  mkdir -p "$dest_dir"
  # written beside, then renamed: an interrupted build never leaves a half-written library where DJL looks
  cp "$work/libdjl_torch.so" "$dest.partial"
  mv "$dest.partial" "$dest"
  echo "build-djl-jni: wrote $dest" >&2
fi
# pip's torch/lib holds test libraries DJL would otherwise try to load
cat <<ENV
export PYTORCH_LIBRARY_PATH=$tlib
export PYTORCH_VERSION=$base
export PYTORCH_FLAVOR=$flavor
export PYTORCH_LIBRARY_EXCLUSION=libaoti_custom_ops.so,libbackend_with_compiler.so,libjitbackend_test.so,libtorchbind_test.so,libtorch_python.so
ENV
