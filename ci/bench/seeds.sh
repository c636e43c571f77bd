#!/usr/bin/env bash
# Issue 15's figures, in one run, for one node (a benchmark, not a test: it prints numbers and fails only
# if something cannot run). Every figure is the median of RUNS runs (default 3); the machine's load is
# printed with them, since a shared machine moves them.
#
#   seeds/s    `loopsim explore --jobs 2` (zygote boots included) next to a fresh process of the same
#              node per seed, two at a time, for an empty program, timers+promises, an fs
#              read-modify-write and a TCP echo: a sweep of SEEDS seeds, and a long one of LONG seeds
#              (explore's use: thousands of seeds, over which the two zygotes' boots, about 0.1 s, are
#              spread; at 200 seeds they are a fifth of the run); then the median zygote child of a
#              --jobs 2 run: its page faults, CPU (user/system), the memory it wrote itself, and the
#              zygote's resident size.
#   dispatch   200,000 chained setImmediate, nextTick and promise callbacks, and 200,000 timers: a
#              zygote child as explore runs it (no trace file) less its run of the same program with
#              N = 0, next to that node's own run less its run with N = 0: both sides without what any
#              seed or process pays whatever it runs (a process's boot and exit; a child's restore,
#              exit and reap of an empty seed), the restore of what the N callbacks wrote included.
#   virtual    an hour of sequential 1 s sleeps (tests/e2e/programs/long_timers.js) in a zygote child:
#              virtual seconds per wall second.
#
# The targets are printed next to the figures: dispatch within 1.1x of node, 200,000 virtual s per wall s.
# It runs under nice (the machine is shared); a run takes a few minutes, most of it the seeds/s part,
# which PARTS can leave out.
#
# Usage: ci/bench/seeds.sh [SEEDS]   (default 200 explore seeds; a fresh process per seed gets SEEDS/5)
# Environment: BUILD (default build), NODE (default: the node on PATH), RUNS (default 3),
#              LONG (default 2000 seeds; 0 leaves the long sweep out),
#              PARTS (default "seeds dispatch virtual": which of the three parts to run).
set -euo pipefail
if [ -z "${LOOPSIM_BENCH_NICE:-}" ]; then LOOPSIM_BENCH_NICE=1 exec nice -n 10 "$0" "$@"; fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
seeds="${1:-200}"
long="${LONG:-2000}"
node_seeds=$(( seeds / 5 > 10 ? seeds / 5 : 10 ))
parts=" ${PARTS:-seeds dispatch virtual} "
programs="$root/ci/bench/programs"

bench_name=seeds.sh
# shellcheck source=lib.sh
source "$root/ci/bench/lib.sh"
bench_tools
bench="$build/tests/runtime/zygote_bench"
[ -x "$bench" ] || { echo "seeds.sh: no $bench (build the zygote_bench target)" >&2; exit 2; }
bench_banner
# A zygote_bench from before children measured their memory has no --memory (faults and CPU only).
memory_flag=(--memory)
usage=$("$bench" --help 2>&1 || true)
[[ "$usage" == *--memory* ]] || memory_flag=()

if [[ "$parts" == *" seeds "* ]]; then
echo
printf '%-16s %10s %8s %7s %12s %7s | %-s\n' program "explore/s" "node/s" ratio "$long seeds" ratio \
  "median child (--jobs 2): minflt, cpu user+sys ms, private MB; zygote resident MB"
for p in empty timers-promises fs-rmw tcp-echo; do
  script="$programs/$p.js"
  sim=() ref=() longer=()
  for _ in $(seq "$runs"); do
    sim+=("$(explore_rate "$node" "$seeds" "$script")")
    [ "$long" -gt 0 ] && longer+=("$(explore_rate "$node" "$long" "$script")")
    ref+=("$(fresh_rate "$node" "$node_seeds" "$script")")
  done
  s=$(median "${sim[@]}") r=$(median "${ref[@]}") l=- lr=-
  if [ "$long" -gt 0 ]; then l=$(median "${longer[@]}") lr="$(ratio "$l" "$r")x"; fi
  costs=$("$bench" --mode zygote --jobs 2 --seeds 100 "${memory_flag[@]}" --loopsim "$loopsim" --node "$node" "$script" |
    awk '/p50:/ { for (i = 1; i <= NF; i++) { if ($i == "minflt") f = $(i + 1); if ($i == "user") u = $(i + 1);
                                              if ($i == "sys") y = $(i + 1) } }
         /memory:/ { for (i = 1; i <= NF; i++) { if ($i == "resident") z = $(i + 1); if ($i == "(p50)") m = $(i + 1) } }
         END { printf "%s, %s+%s, %s; %s", f, u, y, m, z }')
  printf '%-16s %10s %8s %6sx %12s %7s | %s\n' "$p" "$s" "$r" "$(ratio "$s" "$r")" "$l" "$lr" "$costs"
done
fi

dispatch="$programs/dispatch.js"
# p50 wall ms of 3 seeds of one program: a zygote child as explore runs them (boot excluded, the
# restore after each seed included; explore writes no trace file), or fresh node processes; the same
# less the program's run with N = 0 (dispatch_ms MODE KIND).
seed_ms() {
  "$bench" --mode "$1" --jobs 1 --seeds 3 --loopsim "$loopsim" --node "$node" "${@:2}" |
    awk '{ for (i = 1; i < NF; i++) if ($i == "p50" && $(i - 1) == "wall/seed") print $(i + 1) }'
}
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
dispatch_ms() { diff_ms "$(seed_ms "$1" "$dispatch" "$2" 200000)" "$(seed_ms "$1" "$dispatch" "$2" 0)"; }
if [[ "$parts" == *" dispatch "* ]]; then
echo
printf '%-22s %12s %12s %7s   (%s)\n' "200,000 callbacks" loopsim node ratio \
  "wall ms: a zygote child, node's own run, each less its run with N = 0; target 1.10x"
for kind in immediate tick promise timer; do
  sim=() ref=()
  for _ in $(seq "$runs"); do
    sim+=("$(dispatch_ms zygote "$kind")")
    ref+=("$(dispatch_ms node "$kind")")
  done
  s=$(median "${sim[@]}") r=$(median "${ref[@]}")
  printf '%-22s %12s %12s %6sx\n' "$kind" "$s" "$r" "$(ratio "$s" "$r")"
done
fi

if [[ "$parts" == *" virtual "* ]]; then
echo
long=()
for _ in $(seq "$runs"); do
  long+=("$(seed_ms zygote "$root/tests/e2e/programs/long_timers.js")")
done
l=$(median "${long[@]}")
echo "virtual time: 3600 sequential 1 s sleeps in $l ms (a zygote child):" \
  "$(awk -v ms="$l" 'BEGIN { printf "%.0f", 3600 / (ms / 1000) }') virtual s per wall s (target 200000)"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
