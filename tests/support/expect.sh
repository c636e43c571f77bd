# The shell tests' harness, sourced: a scratch directory $dir removed on exit, `expect WHAT CONDITION`
# (prints ok or FAILED and counts the failures; CONDITION is evaluated in the caller's shell, so it may
# use the caller's variables), and `finish`, which exits 1 naming how many checks failed.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
expect() {  # expect <what> <condition>
  if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; failures=$((failures + 1)); fi
}
finish() {
  [ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
}
