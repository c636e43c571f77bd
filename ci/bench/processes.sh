#!/usr/bin/env bash
# Seeds per second of a program of three node processes (ci/bench/programs/three-processes.js: a
# coordinator and two replicas it forks, talking over IPC and writing files), for one node: `loopsim
# explore --jobs 2` next to real node running the same program, two at a time. A benchmark, not a test:
# it prints the medians of RUNS runs (default 3) and the load the machine had, and fails only if
# something cannot run.
#
# Usage: ci/bench/processes.sh [SEEDS]   (default 60 explore seeds; real node runs SEEDS/2 times)
# Environment: BUILD (default build), NODE (default: the node on PATH), RUNS (default 3).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seeds="${1:-60}"
node_runs=$(( seeds / 2 > 10 ? seeds / 2 : 10 ))
build="${BUILD:-$root/build}"
node="${NODE:-$(command -v node || true)}"
runs="${RUNS:-3}"
loopsim="$build/sim/loopsim"
script="$root/ci/bench/programs/three-processes.js"

[ -x "$loopsim" ] || { echo "processes.sh: no $loopsim (build it, or set BUILD)" >&2; exit 2; }
[ -n "$node" ] && [ -x "$node" ] || { echo "processes.sh: no node (set NODE or put node on PATH)" >&2; exit 2; }
echo "node $("$node" --version) ($node), loopsim $build, $runs runs each, $(nproc) cores," \
  "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

bench_name=processes.sh
# shellcheck source=lib.sh
source "$root/ci/bench/lib.sh"
# Each real run in a temporary directory of its own, so that two at a time do not share files.
real_runs() { seq "$node_runs" | xargs -P 2 -I{} sh -c 'd=$(mktemp -d) && TMPDIR=$d "$0" "$1"; s=$?; rm -rf "$d"; exit $s' "$node" "$script"; }

sim=() ref=()
for _ in $(seq "$runs"); do
  ms=$(wall_ms "$loopsim" explore --node "$node" --seeds "$seeds" --jobs 2 "$script")
  sim+=("$(awk -v n="$seeds" -v ms="$ms" 'BEGIN { printf "%.1f", n / (ms / 1000) }')")
  ms=$(wall_ms real_runs)
  ref+=("$(awk -v n="$node_runs" -v ms="$ms" 'BEGIN { printf "%.1f", n / (ms / 1000) }')")
done
s=$(median "${sim[@]}") r=$(median "${ref[@]}")
printf '%-16s %12s %12s %7s\n' program "explore/s" "node runs/s" ratio
printf '%-16s %12s %12s %6sx\n' three-processes "$s" "$r" "$(ratio "$s" "$r")"
