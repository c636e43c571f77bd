#!/usr/bin/env bash
# Shows that ci/lint-determinism catches each banned use (and names file:line), and leaves alone what
# it must: comments, strings, definitions of the interposed clock functions, look-alike names, marked
# lines and allow-file entries.
set -uo pipefail
lint="$(cd "$(dirname "$0")/../.." && pwd)/ci/lint-determinism"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
expect() {  # expect <what> <condition>
  if eval "$2"; then echo "ok: $1"; else echo "FAILED: $1"; failures=$((failures + 1)); fi
}

mkdir -p "$dir/bad" "$dir/good"
cat > "$dir/bad/bad.cc" <<'CC'
#include <chrono>
#include "absl/container/flat_hash_map.h"
void F() {
  auto a = std::chrono::steady_clock::now();
  int b = rand();
  srand(4);
  std::random_device rd;
  auto c = absl::Now();
  const char* d = getenv("HOME");
  long e = time(nullptr);
  struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
  struct timeval tv; gettimeofday(&tv, nullptr);
  absl::flat_hash_map<int, int> counts;
  for (const auto& [k, v] : counts) {}
}
CC
cat > "$dir/good/good.cc" <<'CC'
// Comments may say std::chrono::steady_clock::now(), rand() and getenv("X").
/* So may block comments: time(nullptr)
   gettimeofday(&tv, nullptr) */
const char* kText = "rand() getenv(\"HOME\") clock_gettime(";
extern "C" int clock_gettime(clockid_t id, struct timespec* tp) { return 0; }
int gettimeofday(struct timeval* tv, void* tz) { return 0; }
int uv_os_getenv(const char* name, char* buf, size_t* size);
uint64_t x = prng.rand();
auto w = std::chrono::steady_clock::now();  // lint: allow-host-time (explorer watchdog)
void G() { clock_gettime(CLOCK_REALTIME, &ts); }
CC
printf '%s\n' "$dir/good/good.cc clock_gettime(CLOCK_REALTIME, &ts);  # calls the interposed clock" > "$dir/allow"

out=$("$lint" "$dir/bad" 2>/dev/null); rc=$?
expect "a violation fails the check" '[ $rc -eq 1 ]'
for line in 4 5 6 7 8 9 10 11 12 14; do
  expect "bad.cc:$line is reported" 'grep -q "^$dir/bad/bad.cc:$line: " <<< "$out"'
done
expect "exactly ten findings" '[ "$(grep -c "bad.cc" <<< "$out")" -eq 10 ]'

out=$("$lint" --allow "$dir/allow" "$dir/good" 2>&1); rc=$?
expect "comments, strings, definitions, markers and allowed lines pass" '[ $rc -eq 0 ]'
out=$("$lint" "$dir/good" 2>/dev/null); rc=$?
expect "without the allow entry the interposer call is reported" '[ $rc -eq 1 ] && grep -q "good.cc:10: " <<< "$out"'
expect "and nothing else in good.cc" '[ "$(grep -c "good.cc" <<< "$out")" -eq 1 ]'

printf 'some/path.cc\n' > "$dir/noreason"
"$lint" --allow "$dir/noreason" "$dir/good" >/dev/null 2>&1; rc=$?
expect "an allow entry without a reason is refused" '[ $rc -eq 2 ]'

[ $failures -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
