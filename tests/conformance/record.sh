#!/usr/bin/env bash
# Records the expected output of conformance programs under every node major (18, 20, 22, 24, 26: the
# pinned builds of nodes.sh, which ci/setup provides). Under each major whose version satisfies the
# program's `// requires: node >= X` line, the program is run RUNS times (default 20), every second run
# with the jitter.js preload, which stalls random callbacks by up to 25 ms. A program whose stdout or exit
# status differs between runs of one node depends on timing, not only on the loop's rules, and is
# refused: it is listed and the script exits 1 without recording it. Programs run from inside their
# directory, in the environment loopsim's simulated host has (nodes.sh: clean_env), stderr discarded.
#
# What is written (the harness's lookup, expected.h, reads it):
#   NAME.stdout, NAME.status        the output most majors agree on (all of them, unless one differs)
#   NAME.vM.stdout, NAME.vM.status  only for a major M whose output differs from that; each such file
#                                   must be argued in the program's leading comment
# Where majors split evenly, the newest major's output is the common one. Per-major files of majors that
# now agree are removed. Per-backend files (NAME.BACKEND[.N].stdout, NAME.vM.BACKEND[.N].stdout) are
# written by hand and never touched; for a program that has them, a major that differs is reported,
# since on those backends only a NAME.vM.BACKEND.stdout can say how it differs there.
#
# Usage: tests/conformance/record.sh [--node PATH]... [NAME...]   (no names: every program)
#        --node PATH   record with this node for the major it reports (replacing the pinned one) or for
#                      a further major
# Env:   RUNS          runs per program and major (default 20)
#        JOBS          majors recorded in parallel (default 1)
#        PROGRAMS_DIR  where the programs are (default: programs/; pending/ records the pending ones)
#        LOOPSIM_PREFIX, LOOPSIM_NODES_DIR   where ci/setup put the nodes (see nodes.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=nodes.sh
source "$here/nodes.sh"
load_nodes "$top" "$@"
set -- ${rest[@]+"${rest[@]}"}
programs=$(cd "${PROGRAMS_DIR:-$here/programs}" && pwd)
runs=${RUNS:-20}
jobs=${JOBS:-1}
extensions=(js mjs cjs ts)

for major in "${majors[@]}"; do echo "record: node $major is ${node_version[$major]} (${node_path[$major]})"; done

# entry NAME: the program's entry file, NAME.js, .mjs, .cjs or .ts (exactly one of them).
entry() {
  local found=() ext
  for ext in "${extensions[@]}"; do [ -f "$programs/$1.$ext" ] && found+=("$programs/$1.$ext"); done
  if [ ${#found[@]} != 1 ]; then
    echo "record: need exactly one entry file for $1 in $programs, found ${#found[@]}" >&2
    exit 1
  fi
  echo "${found[0]}"
}

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for ext in "${extensions[@]}"; do
    for file in "$programs"/*."$ext"; do [ -e "$file" ] && names+=("$(basename "$file" ".$ext")"); done
  done
  mapfile -t names < <(printf '%s\n' "${names[@]}" | sort)
  # Expected files of programs that no longer exist would otherwise linger.
  for f in "$programs"/*.stdout "$programs"/*.status; do
    [ -e "$f" ] || continue
    file=${f##*/}
    base=${file%%.*}  # NAME of NAME.stdout, NAME.vM.stdout, NAME.BACKEND[.N].stdout
    live=0
    for ext in "${extensions[@]}"; do [ -e "$programs/$base.$ext" ] && live=1; done
    [ "$live" = 1 ] || { echo "record: removing stale $file"; rm -f "$f"; }
  done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_major NAME FILE MAJOR: RUNS runs of FILE under that major; leaves $work/NAME/MAJOR.out and .status
# from the first, plain run, or $work/NAME/MAJOR.unstable with the difference.
run_major() {
  local name=$1 js=$2 major=$3 dir=$work/$1 i status
  local node=${node_path[$major]}
  for ((i = 0; i < runs; i++)); do
    local preload=()
    [ $((i % 2)) = 1 ] && preload=(-r "$here/jitter.js")
    status=0
    (cd "$programs" && "${clean_env[@]}" "$node" ${preload[@]+"${preload[@]}"} "$js" >"$dir/$major.run" 2>/dev/null) || status=$?
    echo "$status" >"$dir/$major.runstatus"
    if [ "$i" = 0 ]; then
      mv "$dir/$major.run" "$dir/$major.out"; mv "$dir/$major.runstatus" "$dir/$major.status"
    elif ! cmp -s "$dir/$major.run" "$dir/$major.out" || ! cmp -s "$dir/$major.runstatus" "$dir/$major.status"; then
      {
        echo "record: $name differs between runs under node $major (run 1 vs run $((i + 1))${preload[*]:+, jittered}):"
        diff "$dir/$major.out" "$dir/$major.run" | head -20 || true
        diff "$dir/$major.status" "$dir/$major.runstatus" || true
      } >"$dir/$major.unstable"
      return 0
    fi
  done
}

# common KIND NAME MAJOR...: the major whose KIND (out or status) file is the common one: the output of
# the largest group of majors that agree, ties going to the group with the newest major.
common() {
  local kind=$1 name=$2 m n best="" best_count=0
  shift 2
  for m in "$@"; do
    local count=0
    for n in "$@"; do cmp -s "$work/$name/$m.$kind" "$work/$name/$n.$kind" && count=$((count + 1)); done
    if [ "$count" -ge "$best_count" ]; then best=$m; best_count=$count; fi
  done
  echo "$best"
}

# write KIND SUFFIX NAME MAJOR...: writes NAME.SUFFIX and the NAME.vM.SUFFIX of majors that differ;
# removes NAME.vM.SUFFIX of every recorded major that agrees and of known majors the program does not
# run under. Prints the per-major files written.
write_expected() {
  local kind=$1 suffix=$2 name=$3 m
  shift 3
  local base
  base=$(common "$kind" "$name" "$@")
  cp "$work/$name/$base.$kind" "$programs/$name.$suffix"
  for m in "${majors[@]}"; do
    local file=$programs/$name.v$m.$suffix
    if [[ " $* " == *" $m "* ]] && ! cmp -s "$work/$name/$m.$kind" "$work/$name/$base.$kind"; then
      cp "$work/$name/$m.$kind" "$file"
      printf ' v%s.%s' "$m" "$suffix"
    else
      rm -f "$file"
    fi
  done
  for file in "$programs/$name".v*."$suffix"; do
    [ -e "$file" ] || continue
    m=${file#"$programs/$name".v}; m=${m%%.*}
    [[ $m =~ ^[0-9]+$ ]] && [ -z "${node_path[$m]:-}" ] &&
      echo "record: keeping ${file##*/}: no node $m here to re-record it" >&2
  done
  return 0
}

unstable=()
recorded=0
for name in "${names[@]}"; do
  js=$(entry "$name")
  run=()
  for major in "${majors[@]}"; do node_runs "$js" "$major" && run+=("$major"); done
  if [ ${#run[@]} = 0 ]; then
    echo "record: no node here satisfies the requirement of $name ($(requirement "$js"))" >&2
    exit 1
  fi
  mkdir -p "$work/$name"
  for major in "${run[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_major "$name" "$js" "$major" &
  done
  wait
  bad=()
  for major in "${run[@]}"; do
    if [ -f "$work/$name/$major.unstable" ]; then cat "$work/$name/$major.unstable"; bad+=("$major"); fi
  done
  if [ ${#bad[@]} -gt 0 ]; then
    unstable+=("$name (node ${bad[*]})")
    continue
  fi
  differs=$(write_expected out stdout "$name" "${run[@]}")$(write_expected status status "$name" "${run[@]}")
  recorded=$((recorded + 1))
  echo "record: $name ok (status $(cat "$programs/$name.status"), $runs identical runs under node ${run[*]}${differs:+; per major:$differs})"
  # A per-backend expectation shadows NAME.vM.stdout on its backend (the lookup order is NAME.vM.BACKEND,
  # NAME.BACKEND, NAME.vM, NAME): say where a differing major needs its own by hand.
  for backend_file in "$programs/$name".{epoll,kqueue,iocp}.stdout; do
    [ -e "$backend_file" ] || continue
    backend=${backend_file%.stdout}; backend=${backend##*.}
    for major in "${run[@]}"; do
      if [ -e "$programs/$name.v$major.stdout" ] && [ ! -e "$programs/$name.v$major.$backend.stdout" ]; then
        echo "record: $name: node $major differs and $name.$backend.stdout shadows $name.v$major.stdout on $backend: if node $major differs there too, write $name.v$major.$backend.stdout by hand; argue either way in the comment"
      fi
    done
  done
  rm -rf "${work:?}/$name"
done

if [ ${#unstable[@]} -gt 0 ]; then
  echo "record: refusing nondeterministic programs (not recorded):"
  printf '  %s\n' "${unstable[@]}"
  exit 1
fi
echo "record: recorded $recorded programs"
