# What the bench scripts share (sourced, after setting `bench_name` to the script's name for messages).
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
