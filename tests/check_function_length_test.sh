#!/usr/bin/env bash
# Shows that ci/check-function-length catches a sim/ function over the limit (naming file:line, the
# function and its length) wherever it stands (a free function, a member defined in its class, a
# constructor with a brace-initialised member), counts a lambda's lines into the function around it, is
# not fooled by braces in strings, characters, raw strings or comments, and leaves alone a function of
# exactly the limit and a long initializer table.
set -uo pipefail
check="$(cd "$(dirname "$0")/.." && pwd)/ci/check-function-length"
source "$(dirname "$0")/support/expect.sh"
body() {  # body <lines>: that many statement lines
  for ((i = 0; i < $1; i++)); do echo "  x += $i;"; done
}
# function <head> <total lines>: a definition of exactly that many lines, signature to closing brace.
function_of() {
  echo "$1 {"
  body $(($2 - 2))
  echo "}"
}

good="$dir/good/sim"
mkdir -p "$good"
{
  echo '// Braces in comments { and strings do not count.'
  echo 'namespace loopsim::sim {'
  echo 'namespace {'
  echo 'const Row kTable[] = {'
  for ((i = 0; i < 100; i++)); do echo "    {\"row $i\", $i},"; done
  echo '};'
  echo '}  // namespace'
  function_of 'int AtTheLimit(int x)' 80
  echo 'const char* Braces() { return "{{{" R"js({ "a": "}" })js"; }'
  echo "char Open() { return '{'; }"
  echo '}  // namespace loopsim::sim'
} > "$good/good.cc"
out=$("$check" "$dir/good" 2>&1); rc=$?
expect "a tree whose functions are at most the limit passes" '[ $rc -eq 0 ]'

bad="$dir/bad/sim"
mkdir -p "$bad"
{
  echo 'namespace loopsim::sim {'                                   # line 1
  function_of 'int OneTooLong(int x)' 81                            # lines 2-82
  echo 'class Runner {'                                             # line 83
  echo ' public:'                                                   # line 84
  function_of '  int Run() const' 90                                # lines 85-174
  echo ' private:'
  echo '  int x_;'
  echo '};'                                                         # line 177
  echo 'Runner::Runner(int x)'                                      # line 178
  echo '    : a_(x), b_{x} {'
  body 80
  echo '}'                                                          # line 260
  echo 'void WithLambda() {'                                        # line 261
  echo '  auto f = [](int y) {'
  body 45
  echo '    return "}";'
  echo '  };'
  body 35
  echo '}'
  echo '}  // namespace loopsim::sim'
} > "$bad/bad.cc"
out=$("$check" "$dir/bad" 2>/dev/null); rc=$?
expect "a function over the limit fails the check" '[ $rc -eq 1 ]'
expect "a free function one line over is reported with its length" \
  'grep -q "^sim/bad.cc:2: OneTooLong is 81 lines (limit 80)$" <<< "$out"'
expect "a member function defined in its class is reported" 'grep -q "^sim/bad.cc:85: Run is 90 lines" <<< "$out"'
expect "a constructor with a brace-initialised member is reported whole" \
  'grep -q "^sim/bad.cc:178: Runner::Runner is 83 lines" <<< "$out"'
expect "a lambda counts into the function around it" 'grep -q "^sim/bad.cc:261: WithLambda is 85 lines" <<< "$out"'
expect "exactly four findings" '[ "$(wc -l <<< "$out")" -eq 4 ]'
out=$("$check" --max 100 "$dir/bad" 2>&1); rc=$?
expect "--max raises the limit" '[ $rc -eq 0 ]'

finish
