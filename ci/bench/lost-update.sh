#!/usr/bin/env bash
# The explorer's acceptance run: `loopsim explore` finds the lost update in scenarios/lost-update.js
# (two staggered fs read-modify-write updates) within 2,000 seeds, and scenarios/lost-update.fixed.js
# passes 2,000 seeds. Too slow for the test suite with a process per seed (about 70 s each at 2 jobs);
# tests/sim runs the same check on 60 seeds.
#
# Usage: ci/bench/lost-update.sh [SEEDS]   (default 2000). Exit 0 when both hold.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seeds="${1:-2000}"
loopsim="${LOOPSIM:-$root/build/sim/loopsim}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

status=0
"$loopsim" explore --seeds "$seeds" --jobs 2 --max-failures 1 "$root/scenarios/lost-update.js" >"$out/bug.txt" || status=$?
cat "$out/bug.txt"
if [ "$status" -ne 1 ] || ! grep -q "lost update: expected 2, got 1\|Unexpected end of JSON input" "$out/bug.txt"; then
  echo "lost-update.sh: explore did not find the lost update within $seeds seeds (exit $status)" >&2
  exit 1
fi
status=0
"$loopsim" explore --seeds "$seeds" --jobs 2 "$root/scenarios/lost-update.fixed.js" || status=$?
if [ "$status" -ne 0 ]; then
  echo "lost-update.sh: the fixed version failed under explore (exit $status)" >&2
  exit 1
fi
echo "lost-update.sh: the bug is found and the fixed version passes $seeds seeds"
