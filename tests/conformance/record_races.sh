#!/usr/bin/env bash
# Runs every race program (races/NAME.js) RUNS times (default 200) under the reference Node 18, every
# second run with the jitter.js preload (as record.sh does), and prints how often each output came out.
# It checks the outcome files against real Node: an output that real Node gave but NAME.outcomes does
# not list makes the script exit 1 (the set must be completed, and argued in the program's comment).
# Listed outcomes that real Node did not show in these runs are reported as "not seen": each must be
# argued in the program's comment as possible but rare; races_test.cc still requires loopsim to reach it.
#
# Usage: tests/conformance/record_races.sh [NAME...]     (no names: every races/*.js)
# Env:   NODE18_PREFIX  prefix holding usr/bin/node (default: build/third_party/node18 of this tree)
#        RUNS           runs per program (default 200)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
races=$here/races
prefix=${NODE18_PREFIX:-$top/build/third_party/node18}
runs=${RUNS:-200}
node=$prefix/usr/bin/node
export LD_LIBRARY_PATH=$prefix/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

if [ ! -x "$node" ]; then
  echo "record_races: no reference node at $node (run ci/setup first)" >&2
  exit 1
fi
version=$("$node" --version)
if [ "$version" != "v18.20.4" ]; then
  echo "record_races: reference node is $version, expected v18.20.4" >&2
  exit 1
fi

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for js in "$races"/*.js; do names+=("$(basename "$js" .js)"); done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for name in "${names[@]}"; do
  js=$races/$name.js
  listed=$races/$name.outcomes
  [ -f "$js" ] || { echo "record_races: no such program $js" >&2; exit 1; }
  [ -f "$listed" ] || { echo "record_races: no $listed" >&2; exit 1; }
  : >"$work/seen"
  for ((i = 0; i < runs; i++)); do
    preload=()
    [ $((i % 2)) = 1 ] && preload=(-r "$here/jitter.js")
    status=0
    (cd "$races" && "$node" "${preload[@]}" "$js" >"$work/out" 2>/dev/null) || status=$?
    if [ "$status" != 0 ]; then
      echo "exit status $status" >>"$work/seen"
    elif [ "$(wc -l <"$work/out")" != 1 ]; then
      echo "output of $(wc -l <"$work/out") lines: $(tr '\n' '|' <"$work/out")" >>"$work/seen"
    else
      cat "$work/out" >>"$work/seen"
    fi
  done
  echo "record_races: $name ($runs runs, half jittered):"
  sort "$work/seen" | uniq -c | sed 's/^/  /'
  grep -v '^#' "$listed" | grep -v '^$' | sort -u >"$work/listed"
  sort -u "$work/seen" >"$work/seen_set"
  unlisted=$(comm -13 "$work/listed" "$work/seen_set")
  unseen=$(comm -23 "$work/listed" "$work/seen_set")
  if [ -n "$unlisted" ]; then
    echo "  NOT LISTED in $name.outcomes (add and argue it, or fix the program):"
    printf '%s\n' "$unlisted" | sed 's/^/    /'
    failed+=("$name")
  fi
  if [ -n "$unseen" ]; then
    echo "  listed but not seen in these runs (must be argued in $name.js):"
    printf '%s\n' "$unseen" | sed 's/^/    /'
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "record_races: real Node gave outputs missing from the outcome files of: ${failed[*]}"
  exit 1
fi
echo "record_races: every output real Node gave is listed"
