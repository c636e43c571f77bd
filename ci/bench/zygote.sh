#!/usr/bin/env bash
# Per-seed cost of the zygote (boot once, fork per seed) next to a fresh `loopsim run` process per seed
# and a fresh process of the same node per seed, for an empty program, timers+promises and an fs
# read-modify-write; then where a zygote child's time goes. A benchmark, not a test: it prints numbers
# and fails only if something cannot run. Seeds/s figures are medians of 3 runs; the breakdown is the
# median child of one zygote run (host-time marks the child leaves, its page faults and CPU from wait4).
#
#   zygote        a zygote per job, a child forked per seed (what explore uses)
#   zygote-cold   the same, from a zygote booted without the warm-up: what the warm-up saves
#   run           a fresh `loopsim run` process per seed (Node's boot every seed)
#   node          a fresh process of that node per seed (no simulation)
#
# Usage: ci/bench/zygote.sh [SEEDS]        (default 200 seeds for the zygote, 40 for processes)
# Environment: BUILD (default build), NODE (default: the node on PATH).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seeds="${1:-200}"
process_seeds=$(( seeds / 5 > 10 ? seeds / 5 : 10 ))
build="${BUILD:-$root/build}"
node="${NODE:-$(command -v node || true)}"
bench="$build/tests/runtime/zygote_bench"
loopsim="$build/sim/loopsim"
runs=3

[ -x "$bench" ] || { echo "zygote.sh: no $bench (build the zygote_bench target, or set BUILD)" >&2; exit 2; }
[ -x "$loopsim" ] || { echo "zygote.sh: no $loopsim" >&2; exit 2; }
[ -n "$node" ] && [ -x "$node" ] || { echo "zygote.sh: no node (set NODE or put node on PATH)" >&2; exit 2; }
echo "node: $node $("$node" --version)"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
printf '' > "$scratch/empty.js"
programs=("$scratch/empty.js" "$root/ci/bench/programs/timers-promises.js" "$root/ci/bench/programs/fs-rmw.js")

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# seeds/s of one zygote_bench run (its first line: "... N seeds/s ...").
rate() { "$bench" "$@" | head -1 | awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "seeds/s") print $i }'; }

printf '%-18s %6s %10s %10s %10s %10s %10s %10s\n' program jobs zygote/s cold/s run/s node/s "zyg/run" "zyg/node"
for script in "${programs[@]}"; do
  name="$(basename "$script" .js)"
  for jobs in 1 2; do
    z=() c=() r=() n=()
    for _ in $(seq "$runs"); do
      z+=("$(rate --mode zygote --jobs "$jobs" --seeds "$seeds" --loopsim "$loopsim" --node "$node" "$script")")
      c+=("$(rate --mode cold --jobs "$jobs" --seeds "$seeds" --loopsim "$loopsim" --node "$node" "$script")")
      r+=("$(rate --mode run --jobs "$jobs" --seeds "$process_seeds" --loopsim "$loopsim" --node "$node" "$script")")
      n+=("$(rate --mode node --jobs "$jobs" --seeds "$process_seeds" --loopsim "$loopsim" --node "$node" "$script")")
    done
    zm=$(median "${z[@]}") cm=$(median "${c[@]}") rm_=$(median "${r[@]}") nm=$(median "${n[@]}")
    printf '%-18s %6s %10s %10s %10s %10s %9sx %9sx\n' "$name" "$jobs" "$zm" "$cm" "$rm_" "$nm" \
      "$(awk -v a="$zm" -v b="$rm_" 'BEGIN { printf "%.1f", a / b }')" \
      "$(awk -v a="$zm" -v b="$nm" 'BEGIN { printf "%.1f", a / b }')"
  done
done

echo
echo "Where a zygote child's time goes (one job, $seeds seeds, medians; fork = the fork call in the zygote;"
echo "to seed begun = the child's first steps: stdio, its command line, page faults of the first writes):"
for script in "${programs[@]}"; do
  for mode in zygote cold; do
    printf '%s (%s)\n' "$(basename "$script" .js)" "$mode"
    "$bench" --mode "$mode" --jobs 1 --seeds "$seeds" --loopsim "$loopsim" --node "$node" "$script"
  done
done
