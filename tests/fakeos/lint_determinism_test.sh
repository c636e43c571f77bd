#!/usr/bin/env bash
# Shows that ci/lint-determinism catches each banned use (and names file:line), and leaves alone what
# it must: comments, strings, definitions of the interposed clock functions, look-alike names, marked
# lines and allow-file entries.
#
# Usage: lint_determinism_test.sh [CASE]
#   Without CASE: every check. With CASE (one of the names in `cases` below): only that rule's fixture
#   that the lint must fail, and the allowed forms it must pass; ctest runs each as its own test.
set -uo pipefail
lint="$(cd "$(dirname "$0")/../.." && pwd)/ci/lint-determinism"
source "$(dirname "$0")/../support/expect.sh"

# check_case NAME RULE LINE...: the lint fails $dir/NAME/bad, reporting exactly the given lines of
# bad.cc under RULE (text of the finding), and passes $dir/NAME/good (no allow file: the forms there
# need none, or carry their own marker).
check_case() {
  local name="$1" rule="$2" line out rc want
  shift 2
  want=$#
  out=$("$lint" "$dir/$name/bad" 2>/dev/null); rc=$?
  expect "$name: a violation fails the check" '[ $rc -eq 1 ]'
  for line in "$@"; do
    expect "$name: bad.cc:$line is reported as $rule" 'grep -qF "$dir/$name/bad/bad.cc:$line: $rule" <<< "$out"'
  done
  expect "$name: exactly $want findings" '[ "$(grep -c "" <<< "$out")" -eq $want ]'
  out=$("$lint" "$dir/$name/good" 2>&1); rc=$?
  expect "$name: the allowed forms pass" '[ $rc -eq 0 ]'
  [ $rc -eq 0 ] || printf '%s\n' "$out"
}

case_raw_clock_syscall() {
  mkdir -p "$dir/raw_clock_syscall/bad" "$dir/raw_clock_syscall/good"
  cat > "$dir/raw_clock_syscall/bad/bad.cc" <<'CC'
#include <sys/syscall.h>
void F(struct timespec* ts, struct timeval* tv) {
  ::syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ts);
  syscall(SYS_gettimeofday, tv, nullptr);
  syscall(__NR_clock_gettime, CLOCK_REALTIME, ts);
  long t = syscall(SYS_time, nullptr);
}
CC
  cat > "$dir/raw_clock_syscall/good/good.cc" <<'CC'
// The watchdog reads ::syscall(SYS_clock_gettime, ...) on purpose, marked:
void Watchdog(struct timespec* ts) {
  ::syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ts);  // lint: allow-host-time (explorer watchdog)
}
const char* kWhy = "syscall(SYS_clock_gettime) would bypass the interposer";
int SYS_time_budget = 0;
CC
  check_case raw_clock_syscall "host clock (raw system call)" 3 4 5 6
}

case_getrandom_call() {
  mkdir -p "$dir/getrandom_call/bad" "$dir/getrandom_call/good"
  cat > "$dir/getrandom_call/bad/bad.cc" <<'CC'
#include <sys/random.h>
int Seed(unsigned char* buf) {
  getrandom(buf, 16, 0);
  ::getrandom(buf, 16, GRND_NONBLOCK);
  if (getentropy(buf, 16) != 0) return -1;
  return syscall(SYS_getrandom, buf, 16, 0);
}
CC
  cat > "$dir/getrandom_call/good/good.cc" <<'CC'
// Interposed: the program's getrandom(buf, n, flags) reaches the kernel's entropy stream.
extern "C" ssize_t getrandom(void* buf, size_t n, unsigned int flags) {
  Entropy(buf, n);
  return static_cast<ssize_t>(n);
}
int getentropy(void* buf, size_t n) {
  Entropy(buf, n);
  return 0;
}
void Other(void* buf) {
  ::syscall(SYS_getrandom, buf, 8, 0);  // lint: allow-host-entropy (another thread's, never the program's)
  prng.getrandom(buf, 8);
  const char* name = "getrandom(";
}
CC
  check_case getrandom_call "host entropy (" 3 4 5 6
}

case_entropy_device() {
  mkdir -p "$dir/entropy_device/bad" "$dir/entropy_device/good"
  cat > "$dir/entropy_device/bad/bad.cc" <<'CC'
#include <fcntl.h>
int Open() {
  int fd = open("/dev/urandom", O_RDONLY);
  std::ifstream in("/dev/random", std::ios::binary);
  static constexpr char kDevice[] = "/dev/urandom";
  return fd;
}
CC
  cat > "$dir/entropy_device/good/good.cc" <<'CC'
// c-ares opens /dev/urandom itself: "/dev/urandom" in a comment is fine.
/* So is open("/dev/random") in a block comment. */
const char* kNote = "c-ares reads /dev/urandom itself";
const char* kOther = "/dev/null";
int fd = open("/dev/urandom", O_RDONLY);  // lint: allow-host-entropy (test fixture of the marker)
CC
  check_case entropy_device "host entropy (/dev/urandom or /dev/random by path)" 3 4 5
}

case_pointer_keyed_iteration() {
  mkdir -p "$dir/pointer_keyed_iteration/bad" "$dir/pointer_keyed_iteration/good"
  # The container is declared in a header and iterated in its sibling source file, as a member, as a
  # variable, through a `using` alias and through a function that returns it.
  cat > "$dir/pointer_keyed_iteration/bad/bad.h" <<'CC'
class Platform {
  std::map<v8::Isolate*, std::shared_ptr<Runner>> runners_;
  using ByLoop = std::unordered_map<uv_loop_t*, int>;
  ByLoop by_loop_;
};
std::map<const uv_req_t*, PendingWork>& Pending();
CC
  cat > "$dir/pointer_keyed_iteration/bad/bad.cc" <<'CC'
void Platform::Run(Platform* self) {
  std::set<const Handle*> handles;
  runners_.begin()->second->Run();
  for (const auto& [isolate, runner] : self->runners_) runner->Run();
  for (const Handle* h : handles) Close(h);
  for (auto& [loop, n] : by_loop_) n++;
  for (auto& [req, work] : Pending()) work.after(0);
}
CC
  cat > "$dir/pointer_keyed_iteration/good/good.h" <<'CC'
class Platform {
  std::map<uint64_t, std::shared_ptr<Runner>> runners_;  // by isolate id, in creation order
  std::map<const uv_req_t*, PendingWork> pending_;       // only looked up
  std::set<std::tuple<uint64_t, uint64_t, uv_timer_t*>> timers_;
  std::vector<Handle*> handles_;
};
CC
  cat > "$dir/pointer_keyed_iteration/good/good.cc" <<'CC'
void Platform::Run(const uv_req_t* req) {
  for (const auto& [id, runner] : runners_) runner->Run();
  auto it = pending_.find(req);
  if (pending_.count(req) != 0) pending_.erase(it);
  for (const auto& [due, start, timer] : timers_) Fire(timer);
  for (Handle* h : handles_) Close(h);
  // for (auto& [req, work] : pending_) would follow the allocator's order.
  for (auto& [r, work] : pending_) Check(work);  // lint: allow-pointer-order (test fixture of the marker)
}
CC
  check_case pointer_keyed_iteration "iteration over a pointer-keyed container (" 3 4 5 6 7
}

cases="raw_clock_syscall getrandom_call entropy_device pointer_keyed_iteration"
if [ $# -gt 0 ]; then
  case " $cases " in
    *" $1 "*) "case_$1" ;;
    *) echo "lint_determinism_test.sh: no case '$1' (cases: $cases)" >&2; exit 2 ;;
  esac
  finish
  exit 0
fi
for c in $cases; do "case_$c"; done

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

finish
