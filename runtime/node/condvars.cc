// Condition variables of the simulated threads. A thread whose turn it is (runtime/uv/threads.h) must
// not block in the kernel waiting for another simulated thread: that thread waits for the turn, so both
// would wait for good. Node's code never does, but V8's Atomics.wait does exactly that (its futex
// emulation waits on a condition variable that Atomics.notify on another thread signals). So, once
// threads run, a wait of the thread whose turn it is becomes a wait in the scheduler, woken by a signal
// of another simulated thread or by the virtual clock; every other wait (Node's own threads, loopsim's
// scheduler itself, which waits only after it has given the turn away) is the C library's. Signals are
// passed on to the C library too, for the threads that wait there.
//
// A timed wait's deadline is absolute on the clock the condition variable was made with, which the C
// library does not say: as every clock in the process is virtual (interpose.cc), the deadline is read on
// whichever of the virtual monotonic and wall clocks it is nearer to.
#include <dlfcn.h>
#include <pthread.h>
#include <time.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <optional>

#include "runtime/node/background.h"
#include "runtime/runtime.h"
#include "runtime/uv/threads.h"

namespace {

template <typename F>
F Next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

using Wait = int (*)(pthread_cond_t*, pthread_mutex_t*);
using TimedWait = int (*)(pthread_cond_t*, pthread_mutex_t*, const timespec*);
using ClockWait = int (*)(pthread_cond_t*, pthread_mutex_t*, clockid_t, const timespec*);
using Signal = int (*)(pthread_cond_t*);

bool Simulated() { return loopsim::uv::ThreadsStarted() && loopsim::uv::OnSimulationThread(); }

void Unlock(void* mutex) { pthread_mutex_unlock(static_cast<pthread_mutex_t*>(mutex)); }
void Lock(void* mutex) { pthread_mutex_lock(static_cast<pthread_mutex_t*>(mutex)); }

int64_t Ns(const timespec& t) { return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec; }

// `abstime` on the virtual monotonic clock; `clock` when the caller named it.
loopsim::Nanos Deadline(const timespec* abstime, std::optional<clockid_t> clock) {
  const loopsim::Clock& c = loopsim::runtime::SimClock();
  const int64_t at = Ns(*abstime);
  const int64_t mono = c.Now().ns;
  const int64_t wall = c.Wall().ns;
  const bool on_wall = clock ? (*clock == CLOCK_REALTIME || *clock == CLOCK_REALTIME_COARSE)
                             : std::llabs(at - wall) < std::llabs(at - mono);
  return loopsim::Nanos{mono + (at - (on_wall ? wall : mono))};
}

int SimulatedWait(pthread_cond_t* cond, pthread_mutex_t* mutex, std::optional<loopsim::Nanos> deadline) {
  return loopsim::uv::WaitOnCondition(cond, deadline, &Unlock, &Lock, mutex) ? 0 : ETIMEDOUT;
}

}  // namespace

extern "C" {

int pthread_cond_wait(pthread_cond_t* cond, pthread_mutex_t* mutex) {
  if (Simulated()) return SimulatedWait(cond, mutex, std::nullopt);
  static const Wait next = Next<Wait>("pthread_cond_wait");
  return next(cond, mutex);
}

int pthread_cond_timedwait(pthread_cond_t* cond, pthread_mutex_t* mutex, const timespec* abstime) {
  if (Simulated()) return SimulatedWait(cond, mutex, Deadline(abstime, std::nullopt));
  static const TimedWait next = Next<TimedWait>("pthread_cond_timedwait");
  return next(cond, mutex, abstime);
}

int pthread_cond_clockwait(pthread_cond_t* cond, pthread_mutex_t* mutex, clockid_t clock, const timespec* abstime) {
  if (Simulated()) return SimulatedWait(cond, mutex, Deadline(abstime, clock));
  static const ClockWait next = Next<ClockWait>("pthread_cond_clockwait");
  return next(cond, mutex, clock, abstime);
}

int pthread_cond_signal(pthread_cond_t* cond) {
  if (Simulated()) loopsim::uv::SignalCondition(cond, false);
  static const Signal next = Next<Signal>("pthread_cond_signal");
  return next(cond);
}

int pthread_cond_broadcast(pthread_cond_t* cond) {
  if (Simulated()) loopsim::uv::SignalCondition(cond, true);
  static const Signal next = Next<Signal>("pthread_cond_broadcast");
  return next(cond);
}

}  // extern "C"

// V8 from Node 24 on waits with abseil's CondVar, whose waiting thread sleeps on a futex of its own
// (absl::synchronization_internal::FutexWaiter: one atomic count, posted by the thread that signals).
// The binary's FutexWaiter::Wait and ::Post are taken over: a simulated thread whose turn it is and
// finds no post waits in the scheduler, woken by a post from another simulated thread or by the
// virtual clock. The count itself stays the waiter's own, so posts between any threads keep counting.
namespace loopsim::node_host {

namespace {

void* g_futex_wait = nullptr;
void* g_futex_post = nullptr;

void NoLock(void*) {}

// absl's KernelTimeout: all ones for none; else nanoseconds shifted left once, whose low bit says the
// steady clock (set) or the Unix epoch (clear).
std::optional<Nanos> FutexDeadline(uint64_t rep) {
  if (rep == ~uint64_t{0}) return std::nullopt;
  const int64_t ns = static_cast<int64_t>(rep >> 1);
  const Clock& c = runtime::SimClock();
  return Nanos{(rep & 1) != 0 ? ns : c.Now().ns + (ns - c.Wall().ns)};
}

bool FutexWait(void* waiter, uint64_t timeout) {
  if (!Simulated()) return reinterpret_cast<bool (*)(void*, uint64_t)>(g_futex_wait)(waiter, timeout);
  auto* count = static_cast<std::atomic<int32_t>*>(waiter);
  const std::optional<Nanos> deadline = FutexDeadline(timeout);
  for (;;) {
    int32_t n = count->load(std::memory_order_acquire);
    while (n > 0) {
      if (count->compare_exchange_weak(n, n - 1, std::memory_order_acq_rel)) return true;
    }
    if (!uv::WaitOnCondition(waiter, deadline, &NoLock, &NoLock, nullptr)) return false;
  }
}

void FutexPost(void* waiter) {
  reinterpret_cast<void (*)(void*)>(g_futex_post)(waiter);
  if (Simulated()) uv::SignalCondition(waiter, false);
}

}  // namespace

const std::vector<PlatformEntry>& WaiterEntries() {
  static const std::vector<PlatformEntry> table = {
      {Redirection{"_ZN4absl24synchronization_internal11FutexWaiter4WaitENS0_13KernelTimeoutE",
                   reinterpret_cast<const void*>(&FutexWait), &g_futex_wait, true},
       nullptr},
      {Redirection{"_ZN4absl24synchronization_internal11FutexWaiter4PostEv", reinterpret_cast<const void*>(&FutexPost),
                   &g_futex_post, true},
       nullptr},
  };
  return table;
}

}  // namespace loopsim::node_host
