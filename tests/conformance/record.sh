#!/usr/bin/env bash
# Re-records the expected output of every conformance program with the reference Node 18 (Debian's
# nodejs 18.20.4+dfsg-1~deb12u3, unpacked by ci/setup). Each program is run RUNS times (default 20),
# every second run with the jitter.js preload, which stalls random callbacks by up to 25 ms. A program
# whose stdout or exit status differs between runs depends on timing, not only on the loop's rules, and
# is refused: it is listed and the script exits 1 without recording it. Expected files come from the
# first, plain run.
#
# Usage: tests/conformance/record.sh [NAME...]     (no names: every programs/*.js)
# Env:   NODE18_PREFIX  prefix holding usr/bin/node (default: build/third_party/node18 of this tree)
#        RUNS           runs per program (default 20)
#        PROGRAMS_DIR   where the programs are (default: programs/; pending/ records the pending ones)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
programs=$(cd "${PROGRAMS_DIR:-$here/programs}" && pwd)
prefix=${NODE18_PREFIX:-$top/build/third_party/node18}
runs=${RUNS:-20}
node=$prefix/usr/bin/node
export LD_LIBRARY_PATH=$prefix/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

if [ ! -x "$node" ]; then
  echo "record: no reference node at $node (run ci/setup first)" >&2
  exit 1
fi
version=$("$node" --version)
if [ "$version" != "v18.20.4" ]; then
  echo "record: reference node is $version, expected v18.20.4" >&2
  exit 1
fi

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for js in "$programs"/*.js; do names+=("$(basename "$js" .js)"); done
  # Expected files of programs that no longer exist would otherwise linger.
  for f in "$programs"/*.stdout "$programs"/*.status; do
    [ -e "$f" ] || continue
    file=${f##*/}
    base=$programs/${file%%.*}  # NAME of NAME.stdout and of the per-backend NAME.BACKEND[.N].stdout
    [ -e "$base.js" ] || { echo "record: removing stale $(basename "$f")"; rm -f "$f"; }
  done
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unstable=()
for name in "${names[@]}"; do
  js=$programs/$name.js
  [ -f "$js" ] || { echo "record: no such program $js" >&2; exit 1; }
  stable=1
  for ((i = 0; i < runs; i++)); do
    status=0
    preload=()
    [ $((i % 2)) = 1 ] && preload=(-r "$here/jitter.js")
    (cd "$programs" && "$node" "${preload[@]}" "$js" >"$work/out" 2>/dev/null) || status=$?
    echo "$status" >"$work/status"
    if [ "$i" = 0 ]; then
      cp "$work/out" "$work/out0"; cp "$work/status" "$work/status0"
    elif ! cmp -s "$work/out" "$work/out0" || ! cmp -s "$work/status" "$work/status0"; then
      stable=0
      echo "record: $name differs between runs (run 1 vs run $((i + 1))${preload:+, jittered}):"
      diff "$work/out0" "$work/out" | head -20 || true
      diff "$work/status0" "$work/status" || true
      break
    fi
  done
  if [ "$stable" = 1 ]; then
    cp "$work/out0" "$programs/$name.stdout"
    cp "$work/status0" "$programs/$name.status"
    echo "record: $name ok (status $(cat "$work/status0"), $runs identical runs)"
  else
    unstable+=("$name")
  fi
done

if [ ${#unstable[@]} -gt 0 ]; then
  echo "record: refusing nondeterministic programs (not recorded):"
  printf '  %s\n' "${unstable[@]}"
  exit 1
fi
echo "record: recorded ${#names[@]} programs"
