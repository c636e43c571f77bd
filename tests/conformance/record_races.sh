#!/usr/bin/env bash
# Runs every race program (races/NAME.js, .mjs, .cjs or .ts) RUNS times (default 200) under every node
# major (the pinned builds of nodes.sh, which ci/setup provides; those that satisfy the program's
# `// requires: node >= X` line), every second run with the jitter.js preload (as record.sh does), and
# prints how often each output came out under each. It checks the outcome files against real Node: an
# output that a major gave but its outcome file (NAME.vM.outcomes where that major's set differs, else
# NAME.outcomes) does not list makes the script exit 1 (the set must be completed, and argued in the
# program's comment). Listed outcomes that a major did not show in these runs are reported as "not
# seen": each must be argued in the program's comment as possible but rare; races_test.cc still requires
# loopsim to reach it.
#
# Usage: tests/conformance/record_races.sh [--node PATH]... [NAME...]     (no names: every race)
# Env:   RUNS           runs per program and major (default 200)
#        LOOPSIM_PREFIX, LOOPSIM_NODES_DIR   where ci/setup put the nodes (see nodes.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
races=$here/races
runs=${RUNS:-200}
# shellcheck source=nodes.sh
source "$here/nodes.sh"
load_nodes "$top" "$@"
set -- ${rest[@]+"${rest[@]}"}
for major in "${majors[@]}"; do echo "record_races: node $major is ${node_version[$major]} (${node_path[$major]})"; done

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for file in "$races"/*.js "$races"/*.mjs "$races"/*.cjs "$races"/*.ts; do
    [ -e "$file" ] && { name=${file##*/}; names+=("${name%.*}"); }
  done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()
for name in "${names[@]}"; do
  js=""
  for ext in js mjs cjs ts; do [ -f "$races/$name.$ext" ] && { js=$races/$name.$ext; break; }; done
  [ -n "$js" ] || { echo "record_races: no such program $races/$name.js" >&2; exit 1; }
  for major in "${majors[@]}"; do
    node_runs "$js" "$major" || continue
    listed=$races/$name.v$major.outcomes
    [ -f "$listed" ] || listed=$races/$name.outcomes
    [ -f "$listed" ] || { echo "record_races: no $races/$name.outcomes" >&2; exit 1; }
    : >"$work/seen"
    for ((i = 0; i < runs; i++)); do
      preload=()
      [ $((i % 2)) = 1 ] && preload=(-r "$here/jitter.js")
      status=0
      (cd "$races" && "${clean_env[@]}" "${node_path[$major]}" ${preload[@]+"${preload[@]}"} "$js" >"$work/out" 2>/dev/null) || status=$?
      if [ "$status" != 0 ]; then
        echo "exit status $status" >>"$work/seen"
      elif [ "$(wc -l <"$work/out")" != 1 ]; then
        echo "output of $(wc -l <"$work/out") lines: $(tr '\n' '|' <"$work/out")" >>"$work/seen"
      else
        cat "$work/out" >>"$work/seen"
      fi
    done
    echo "record_races: $name under node $major ($runs runs, half jittered; listed in ${listed##*/}):"
    sort "$work/seen" | uniq -c | sed 's/^/  /'
    grep -v '^#' "$listed" | grep -v '^$' | sort -u >"$work/listed"
    sort -u "$work/seen" >"$work/seen_set"
    unlisted=$(comm -13 "$work/listed" "$work/seen_set")
    unseen=$(comm -23 "$work/listed" "$work/seen_set")
    if [ -n "$unlisted" ]; then
      echo "  NOT LISTED in ${listed##*/} (add and argue it, or fix the program):"
      printf '%s\n' "$unlisted" | sed 's/^/    /'
      failed+=("$name (node $major)")
    fi
    if [ -n "$unseen" ]; then
      echo "  listed but not seen in these runs (must be argued in ${js##*/}):"
      printf '%s\n' "$unseen" | sed 's/^/    /'
    fi
  done
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "record_races: real Node gave outputs missing from the outcome files of: ${failed[*]}"
  exit 1
fi
echo "record_races: every output real Node gave is listed"
