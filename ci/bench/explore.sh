#!/usr/bin/env bash
# Seeds per second of `loopsim explore --jobs 2` on small programs (timers+promises, an fs
# read-modify-write, a TCP echo), per node version, next to a fresh process of that same node per seed,
# two at a time, measured in the same run. Each figure is the median of 3 runs. A benchmark, not a test:
# it prints numbers and fails only if something cannot run.
#
# Usage: ci/bench/explore.sh [SEEDS] [NODE...]   (default 200 seeds; default nodes: every node ci/setup
#                                                 provides, and the one on PATH)
# Environment: LOOPSIM (default build/sim/loopsim).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seeds="${1:-200}"
shift || true
loopsim="${LOOPSIM:-$root/build/sim/loopsim}"
programs=(timers-promises fs-rmw tcp-echo)
runs=3

[ -x "$loopsim" ] || { echo "explore.sh: no loopsim at $loopsim (build it, or set LOOPSIM)" >&2; exit 2; }
nodes=("$@")
if [ ${#nodes[@]} -eq 0 ]; then
  for n in "$root/build/third_party/node18/bin/node" "$(command -v node || true)" "$root"/build/third_party/node-*/bin/node; do
    [ -n "$n" ] && [ -x "$n" ] && nodes+=("$n")
  done
fi
[ ${#nodes[@]} -gt 0 ] || { echo "explore.sh: no node found (run ci/setup)" >&2; exit 2; }

now_ns() { date +%s%N; }
# seeds/s of one measurement, from its start and end in ns.
rate() { awk -v n="$seeds" -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", n / ((b - a) / 1e9) }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-9s %-16s %12s %12s %8s   (%s seeds, --jobs 2, median of %s)\n' node program "loopsim/s" "node/s" ratio \
  "$seeds" "$runs"
for node in "${nodes[@]}"; do
  version=$("$node" --version)
  for p in "${programs[@]}"; do
    script="$root/ci/bench/programs/$p.js"
    sim=() ref=()
    for _ in $(seq "$runs"); do
      a=$(now_ns)
      status=0
      "$loopsim" explore --node "$node" --seeds "$seeds" --jobs 2 "$script" >/dev/null || status=$?
      b=$(now_ns)
      [ "$status" -eq 0 ] || { echo "explore.sh: loopsim explore $p under $version exited $status" >&2; exit 1; }
      sim+=("$(rate "$a" "$b")")
      a=$(now_ns)
      seq "$seeds" | xargs -P 2 -I{} "$node" "$script" >/dev/null
      b=$(now_ns)
      ref+=("$(rate "$a" "$b")")
    done
    s=$(median "${sim[@]}") r=$(median "${ref[@]}")
    printf '%-9s %-16s %12s %12s %7sx\n' "$version" "$p" "$s" "$r" "$(awk -v s="$s" -v r="$r" 'BEGIN { printf "%.2f", s / r }')"
  done
done
