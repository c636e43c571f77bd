#!/usr/bin/env bash
# Produces the figures of the table in scenarios/README.md, one Markdown row per scenario:
#   - seeds to first failure: median (and range) over 5 explorations of the buggy variant, each from
#     its own --seed-start, counted from that start (1 = its first seed failed);
#   - shrunk schedule: the non-plain decisions (and all decisions) of `loopsim shrink` on the first
#     failing seed of the first exploration;
#   - plain node: how many of RUNS runs of the buggy variant under the reference Node 18 fail
#     (non-zero exit, or still running after 5 s: a hang).
# Usage: scenarios/measure.sh [NAME...]   (default: every scenario that has a .fixed.js twin)
# Environment: LOOPSIM (default build/sim/loopsim), NODE18_PREFIX (default build/third_party/node18),
#              RUNS (default 100), STARTS (default "0 1000 2000 3000 4000"), BUDGET (seeds per
#              exploration, default 200), SHRINK_RUNS (default 150), JOBS (default 2).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
loopsim=$(realpath "${LOOPSIM:-$top/build/sim/loopsim}")
prefix=${NODE18_PREFIX:-$top/build/third_party/node18}
runs=${RUNS:-100}
starts=${STARTS:-0 1000 2000 3000 4000}
budget=${BUDGET:-200}
shrink_runs=${SHRINK_RUNS:-150}
jobs=${JOBS:-2}
node18() { LD_LIBRARY_PATH="$prefix/usr/lib/x86_64-linux-gnu" timeout 5 "$prefix/usr/bin/node" "$@"; }
export -f node18
export prefix

work=$(mktemp -d /tmp/loopsim-measure-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

if [ $# -gt 0 ]; then names=("$@"); else
  names=()
  for f in "$top"/scenarios/*.fixed.js; do b=$(basename "$f" .fixed.js); names+=("$b"); done
fi

echo "| scenario | bug class | seeds to first failure: median (range) | shrunk schedule: non-plain (all) decisions | fails under plain node 18 |"
echo "|---|---|---|---|---|"
for name in "${names[@]}"; do
  script="$top/scenarios/$name.js"
  class=$(sed -n 's|^// Bug class: \(.*\)$|\1|p' "$script" | head -1 | sed 's/\.$//')
  firsts=()
  first_seed=""
  for s in $starts; do
    "$loopsim" explore --seeds "$budget" --seed-start "$s" --jobs "$jobs" --max-failures 1 --json "$work/x.json" \
      "$script" >/dev/null 2>&1 || true
    f=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(min([x["first_seed"] for x in j["failures"]], default=-1))' "$work/x.json")
    if [ "$f" = -1 ]; then firsts+=(">$budget"); else
      firsts+=($((f - s + 1)))
      [ -n "$first_seed" ] || first_seed=$f
    fi
  done
  median=$(printf '%s\n' "${firsts[@]}" | python3 -c '
import sys
v=[l.strip() for l in sys.stdin if l.strip()]
n=sorted(int(x) if not x.startswith(">") else 10**9 for x in v)
m=n[len(n)//2]
lo,hi=n[0],n[-1]
f=lambda x: ">budget" if x==10**9 else str(x)
print(f"{f(m)} ({f(lo)}–{f(hi)})")')
  shrunk="—"
  if [ -n "$first_seed" ]; then
    out=$("$loopsim" shrink --seed "$first_seed" --jobs "$jobs" --max-runs "$shrink_runs" -o "$work/s.json" "$script" 2>&1 || true)
    shrunk=$(printf '%s\n' "$out" | sed -n 's/^shrunk seed [0-9]*: .* -> \([0-9]*\) decisions (\([0-9]*\) non-plain).*/\2 (\1)/p' | head -1)
    [ -n "$shrunk" ] || shrunk="?"
  fi
  # Each run gets its own TMPDIR, so parallel runs do not share the files a scenario keeps in os.tmpdir().
  fails=$(seq 1 "$runs" | xargs -P "$jobs" -I{} bash -c \
    'd=$(mktemp -d "$1/node-XXXXXX"); if TMPDIR=$d node18 "$0" >/dev/null 2>&1; then echo ok; else echo fail; fi; rm -rf "$d"' \
    "$script" "$work" | grep -c fail || true)
  echo "| $name | $class | $median | $shrunk | $fails / $runs |"
done
