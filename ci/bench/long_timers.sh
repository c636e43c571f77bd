#!/usr/bin/env bash
# Benchmark: wall time of `loopsim run` on a program that awaits 3600 sequential 1-second timers (one
# virtual hour, tests/e2e/programs/long_timers.js). Runs it RUNS times (default 5) and prints each wall
# time and the median. A benchmark, not a test: it asserts only that every run succeeded.
#
# Usage: ci/bench/long_timers.sh [LOOPSIM_BINARY]
#        (default: $LOOPSIM_BIN, else build/loopsim or build/sim/loopsim of this tree)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
runs=${RUNS:-5}
program=$top/tests/e2e/programs/long_timers.js

loopsim=${1:-${LOOPSIM_BIN:-}}
if [ -z "$loopsim" ]; then
  for candidate in "$top/build/loopsim" "$top/build/sim/loopsim"; do
    [ -x "$candidate" ] && { loopsim=$candidate; break; }
  done
fi
if [ -z "$loopsim" ] || [ ! -x "$loopsim" ]; then
  echo "bench: no loopsim binary (build it, or pass its path)" >&2
  exit 2
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
times_ms=()
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s%N)
  if ! "$loopsim" run --seed "$i" "$program" >"$out"; then
    echo "bench: run $i failed:" >&2
    cat "$out" >&2
    exit 1
  fi
  end=$(date +%s%N)
  grep -q '^timers 3600$' "$out" || { echo "bench: run $i did not fire 3600 timers:" >&2; cat "$out" >&2; exit 1; }
  ms=$(( (end - start) / 1000000 ))
  times_ms+=("$ms")
  echo "run $i: ${ms} ms ($(grep elapsed_ms "$out"))"
done
median=$(printf '%s\n' "${times_ms[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
echo "long_timers: 3600 sequential 1 s timers, median wall time over $runs runs: ${median} ms"
