# What the bench scripts share (sourced, after setting `bench_name` to the script's name for messages).

# The loopsim and the node a bench runs, from BUILD (default $root/build) and NODE (default: the node on
# PATH), and how many runs each figure is the median of, from RUNS (default 3): sets build, loopsim, node
# and runs, and exits 2 when loopsim or node is missing.
bench_tools() {
  build="${BUILD:-$root/build}"
  node="${NODE:-$(command -v node || true)}"
  runs="${RUNS:-3}"
  loopsim="$build/sim/loopsim"
  [ -x "$loopsim" ] || { echo "$bench_name: no $loopsim (build it, or set BUILD)" >&2; exit 2; }
  [ -n "$node" ] && [ -x "$node" ] || { echo "$bench_name: no node (set NODE or put node on PATH)" >&2; exit 2; }
}
# What the figures were measured with, and the machine's load when the bench began.
bench_banner() {
  echo "node $("$node" --version) ($node), loopsim $build, $runs runs each, $(nproc) cores," \
    "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
now_ns() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# Wall milliseconds of one command (its output discarded); fails the script if the command fails.
wall_ms() {
  local a b status=0
  a=$(now_ns)
  "$@" >/dev/null 2>&1 || status=$?
  b=$(now_ns)
  [ "$status" -eq 0 ] || { echo "$bench_name: '$*' exited $status" >&2; exit 1; }
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'
}
# N things in MS milliseconds, per second.
per_second() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.1f", n / (ms / 1000) }'; }
# Seeds per second of one `loopsim explore --jobs 2` sweep: explore_rate NODE SEEDS SCRIPT.
explore_rate() { per_second "$2" "$(wall_ms "$loopsim" explore --node "$1" --seeds "$2" --jobs 2 "$3")"; }
# Runs per second of a fresh node process per seed, two at a time: fresh_rate NODE RUNS SCRIPT.
fresh_nodes() { seq "$2" | xargs -P 2 -I{} "$1" "$3"; }
fresh_rate() { per_second "$2" "$(wall_ms fresh_nodes "$1" "$2" "$3")"; }
