#!/usr/bin/env bash
# Seeds per second of `loopsim explore --jobs 2` on small programs (timers+promises, an fs
# read-modify-write, a TCP echo), per node version, next to a fresh process of that same node per seed,
# two at a time, measured in the same run; and explore's seeds/s over a long sweep (LONG seeds), as it
# is used, over which the zygotes' boots are spread. Each figure is the median of 3 runs. A benchmark,
# not a test: it prints numbers and fails only if something cannot run.
#
# Usage: ci/bench/explore.sh [SEEDS] [NODE...]   (default 200 seeds; default nodes: every node ci/setup
#                                                 provides, and the one on PATH)
# Environment: LOOPSIM (default build/sim/loopsim), LONG (default 2000 seeds; 0 leaves it out).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seeds="${1:-200}"
shift || true
long="${LONG:-2000}"
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

bench_name=explore.sh
# shellcheck source=lib.sh
source "$root/ci/bench/lib.sh"

printf '%-9s %-16s %12s %12s %8s %12s %8s   (%s seeds, --jobs 2, median of %s)\n' node program "loopsim/s" \
  "node/s" ratio "$long seeds" ratio "$seeds" "$runs"
for node in "${nodes[@]}"; do
  version=$("$node" --version)
  for p in "${programs[@]}"; do
    script="$root/ci/bench/programs/$p.js"
    sim=() ref=() longer=()
    for _ in $(seq "$runs"); do
      sim+=("$(explore_rate "$node" "$seeds" "$script")")
      [ "$long" -gt 0 ] && longer+=("$(explore_rate "$node" "$long" "$script")")
      ref+=("$(fresh_rate "$node" "$seeds" "$script")")
    done
    s=$(median "${sim[@]}") r=$(median "${ref[@]}") l=- lr=-
    if [ "$long" -gt 0 ]; then l=$(median "${longer[@]}") lr="$(ratio "$l" "$r")x"; fi
    printf '%-9s %-16s %12s %12s %7sx %12s %8s\n' "$version" "$p" "$s" "$r" "$(ratio "$s" "$r")" "$l" "$lr"
  done
done
