# What every JVM that runs models gets from its launcher: sourced by ./gpt2, bench/run and
# bench/gpu/check.sh; bench/CliLaunch copies it for its children (CliBenchParsingTest checks that).
# Each setting is a default: what the caller's environment already says wins.

# libgomp's idle threads sleep after a short spin. Spinning without bound (libgomp's default, one
# thread per core) stalls every op's barrier when a neighbour takes a core: on a 2-core machine with
# other builds running a 124M decode ran 8-9x slower spinning than passive. Sleeping at once makes the
# op after each BLAS product pay a system call to wake the workers (~100 us for a decode step's
# attention op); 2000 spins bound what a spinning worker takes from a busy neighbour
# (README, "Device and threads"; docs/DECISIONS.md, "Threads and JVM flags").
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export GOMP_SPINCOUNT="${GOMP_SPINCOUNT:-2000}"

# glibc's malloc with fixed thresholds. By default it serves a block above its mmap threshold with
# fresh pages and raises the threshold to the largest block freed so far; a buffer that grows every
# step (beam search's cache reorder, attention over a longer cache) stays above it, so every step
# faults its pages in anew: a process's first 260-token 5-beam search of the 124M shape took
# 18.7-22.8 s, its second 10.1-11.3 s, and 8.9 s with these (docs/DECISIONS.md, "malloc thresholds").
# Blocks up to 32 MB (glibc's largest mmap threshold) come from the heap and are reused; up to 256 MB
# freed at the heap's top stays mapped rather than being returned and faulted in again.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"

# The throughput collector with a fixed 256 MB young generation: G1 (and an adaptive young generation)
# kept handing every-position logits fresh heap pages, 4,000-9,000 page faults per 128-token forward.
gpt2_gc_flags=(-XX:+UseParallelGC -Xmn256m)

# The JVM's own log warnings on stderr: by default HotSpot prints them ("[warning][cds] ...", "[warning]
# [os,thread] ...") on stdout, where they would land inside generated text or `--json` output. The
# user's GPT2_JAVA_OPTS come after these, so a -Xlog they add still goes where they say.
gpt2_log_flags=(-Xlog:disable -Xlog:all=warning:stderr)

# Java decodes its arguments, and by default writes stdout, in the locale's character set, which under
# the C or POSIX locale (a container's default when LANG is unset) is ASCII: `--prompt "café"` reached
# the tokenizer as "caf??" and became other tokens. As Python does (PEP 538), that locale is replaced
# by C.UTF-8 for the JVM, where the system has it; any other locale the user chose is left alone.
gpt2_utf8_locale() {
  local ctype="${LC_ALL:-${LC_CTYPE:-${LANG:-}}}"
  if [[ -z "$ctype" || "$ctype" == C || "$ctype" == POSIX ]] && locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
    export LC_ALL=C.UTF-8
  fi
}
gpt2_utf8_locale
