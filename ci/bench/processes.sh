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
script="$root/ci/bench/programs/three-processes.js"

bench_name=processes.sh
# shellcheck source=lib.sh
source "$root/ci/bench/lib.sh"
bench_tools
bench_banner
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
