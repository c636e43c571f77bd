// See threads.h. Turns pass under one mutex: `g_turn` names the thread that runs, and every other
// simulated thread waits on its own condition variable until it is named. Everything else here (states,
// deadlines) is read and written only by the thread whose turn it is.
#include "runtime/uv/threads.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include "fakeos/base/check.h"
#include "runtime/runtime.h"
#include "runtime/uv/process.h"

namespace loopsim::uv {

struct SimThread {
  enum class State { kStarting, kRunning, kYielding, kPolling, kJoining, kWaiting, kDone };
  uint32_t number = 0;
  uint32_t process = 0;       // the simulated process it belongs to (process.h)
  bool process_main = false;  // it is that process's main thread
  bool exiting = false;       // its process is exiting
  State state = State::kStarting;
  // A new thread can begin from this instant: a real thread takes a while to start (a worker builds
  // its isolate and environment before it runs any of the program), decided when it is created.
  Nanos starts_at{0};
  // While polling: the sources it waits for, and until when (none: as long as it takes).
  std::vector<SourceId> sources;
  std::optional<Nanos> deadline;
  // While joining: the thread it waits for.
  const SimThread* target = nullptr;
  // While waiting on a condition variable: which, since when (for the order signals wake waiters in),
  // and whether it was signalled.
  const void* cond = nullptr;
  uint64_t waiting_since = 0;
  bool signalled = false;
  std::condition_variable turn;
  // The simulated loop it initialised (a worker's), while that loop is open.
  const void* loop = nullptr;
};

namespace {

// A new thread starts 0 to 100 ms after it was created, in steps of 2.5 ms: from `new Worker` to the
// worker's first line takes 20-135 ms with Node 18-26 on a busy 2-core machine, and less on a fast one.
constexpr uint64_t kStartSteps = 41;
constexpr int64_t kStartStepUs = 2500;

std::mutex g_mutex;
std::vector<std::unique_ptr<SimThread>> g_threads;  // by number; [0] is the main thread
SimThread* g_turn = nullptr;                        // the thread that runs
std::atomic<bool> g_started{false};
uint64_t g_waits = 0;
uint32_t g_next_process = 0;  // the next thread made is this process's main thread (0: none)  // condition waits begun, for their order
thread_local SimThread* t_self = nullptr;
pthread_t g_main_thread = pthread_self();  // the simulation's thread until threads start

std::mutex g_loops_mutex;
std::vector<const void*> g_loops;

Kernel& K() { return runtime::Runtime::Get().kernel(); }

bool CanRun(const SimThread& t) {
  switch (t.state) {
    case SimThread::State::kStarting: return t.starts_at <= K().clock().Now();
    case SimThread::State::kYielding: return true;
    case SimThread::State::kPolling:
      if (t.deadline && *t.deadline <= K().clock().Now()) return true;
      return std::any_of(t.sources.begin(), t.sources.end(), [](SourceId id) { return K().IsReady(id); });
    case SimThread::State::kJoining: return t.target->state == SimThread::State::kDone;
    case SimThread::State::kWaiting: return t.signalled || (t.deadline && *t.deadline <= K().clock().Now());
    case SimThread::State::kRunning:
    case SimThread::State::kDone: return false;
  }
  return false;
}

// Hands the turn to `next` and, unless `self` has ended, waits until the turn comes back.
void Pass(SimThread* self, SimThread* next) {
  std::unique_lock<std::mutex> lock(g_mutex);
  g_turn = next;
  next->turn.notify_one();
  if (self->state == SimThread::State::kDone) return;
  self->turn.wait(lock, [self] { return g_turn == self; });
}

// The scheduler, on the thread whose turn it is, whose state says why it stops running (polling,
// joining, done). Returns once it runs again (at once, if it is the one chosen), or false when no
// thread could ever run again. A thread that has ended returns as soon as it has passed the turn.
bool Schedule(SimThread* self) {
  for (;;) {
    K().RunDueEvents();
    std::vector<SimThread*> runnable;
    for (const auto& t : g_threads) {
      if (CanRun(*t)) runnable.push_back(t.get());
    }
    if (!runnable.empty()) {
      SimThread* next = runnable[K().chooser().Choose(Site::kThread, runnable.size())];
      next->state = SimThread::State::kRunning;
      if (next != self) Pass(self, next);
      return true;
    }
    // No thread can run now: every one sleeps until the next kernel event or poll timeout.
    std::optional<Nanos> wake = K().NextEventTime();
    for (const auto& t : g_threads) {
      const bool sleeps = t->state == SimThread::State::kPolling || t->state == SimThread::State::kWaiting;
      if (sleeps && t->deadline && (!wake || *t->deadline < *wake)) wake = t->deadline;
      if (t->state == SimThread::State::kStarting && (!wake || t->starts_at < *wake)) wake = t->starts_at;
    }
    if (!wake) return false;
    K().clock().AdvanceTo(std::max(*wake, K().clock().Now()));
  }
}

[[noreturn]] void Deadlock(const char* where) {
  runtime::Runtime::Get().Halt(runtime::Stop::kHang,
                               std::string("hang: every thread waits for an event that can never come (") + where +
                                   ")");
}

}  // namespace

bool ThreadsStarted() { return g_started.load(std::memory_order_acquire); }

bool OnSimulationThread() {
  if (ThreadsStarted()) return t_self != nullptr && g_turn == t_self;
  return pthread_equal(pthread_self(), g_main_thread) != 0;
}

bool OnWorkerThread() { return t_self != nullptr && t_self->number != 0; }

uint32_t CurrentThreadNumber() { return t_self == nullptr ? 0 : t_self->number; }

uint32_t CurrentProcess() { return t_self == nullptr ? 0 : t_self->process; }

void StartNextThreadAsProcess(uint32_t process) { g_next_process = process; }

void MarkProcessExiting(uint32_t process) {
  for (const auto& t : g_threads) {
    if (t->process == process) t->exiting = true;
  }
}

bool CurrentThreadExiting() { return t_self != nullptr && t_self->exiting; }

SimThread* NewThread() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_threads.empty()) {
    auto main = std::make_unique<SimThread>();
    main->state = SimThread::State::kRunning;
    t_self = main.get();
    g_turn = main.get();
    g_threads.push_back(std::move(main));
  }
  LS_CHECK_MSG(g_turn == t_self, "a thread was started by a thread whose turn it is not");
  auto t = std::make_unique<SimThread>();
  t->number = static_cast<uint32_t>(g_threads.size());
  t->process = g_next_process != 0 ? g_next_process : t_self->process;
  t->process_main = g_next_process != 0;
  g_next_process = 0;
  const uint64_t steps = K().chooser().Choose(Site::kThread, kStartSteps);
  t->starts_at = K().clock().Now() + Microseconds(kStartStepUs * static_cast<int64_t>(steps));
  g_threads.push_back(std::move(t));
  g_started.store(true, std::memory_order_release);
  return g_threads.back().get();
}

void ThreadBegins(SimThread* thread) {
  t_self = thread;
  std::unique_lock<std::mutex> lock(g_mutex);
  thread->turn.wait(lock, [thread] { return g_turn == thread; });
}

void ThreadEnds(SimThread* thread) {
  LS_CHECK(t_self == thread && g_turn == thread);
  thread->state = SimThread::State::kDone;
  if (thread->process_main) ProcessEnded(thread->process);
  if (!Schedule(thread)) Deadlock("the last running thread ended");
  t_self = nullptr;
}

void WaitForThreadEnd(SimThread* thread) {
  SimThread* self = t_self;
  LS_CHECK(self != nullptr && g_turn == self && thread != self);
  if (thread->state == SimThread::State::kDone) return;
  self->state = SimThread::State::kJoining;
  self->target = thread;
  if (!Schedule(self)) Deadlock("a thread joins one that never ends");
  self->target = nullptr;
}

bool WaitOnCondition(const void* cond, std::optional<Nanos> deadline, void (*unlock)(void*), void (*lock)(void*),
                     void* mutex) {
  SimThread* self = t_self;
  LS_CHECK(self != nullptr && g_turn == self);
  self->state = SimThread::State::kWaiting;
  self->cond = cond;
  self->waiting_since = ++g_waits;
  self->signalled = false;
  self->deadline = deadline;
  unlock(mutex);
  if (!Schedule(self)) Deadlock("a thread waits on a condition that nothing will signal, as in Atomics.wait");
  lock(mutex);
  self->cond = nullptr;
  return self->signalled;
}

void SignalCondition(const void* cond, bool all) {
  std::vector<SimThread*> waiters;
  for (const auto& t : g_threads) {
    if (t->state == SimThread::State::kWaiting && t->cond == cond && !t->signalled) waiters.push_back(t.get());
  }
  std::sort(waiters.begin(), waiters.end(),
            [](const SimThread* a, const SimThread* b) { return a->waiting_since < b->waiting_since; });
  for (SimThread* t : waiters) {
    t->signalled = true;
    if (!all) break;
  }
}

void YieldTurn() {
  SimThread* self = t_self;
  if (self == nullptr || g_turn != self || self->exiting) return;
  self->state = SimThread::State::kYielding;
  LS_CHECK(Schedule(self));
}

std::vector<SourceId> PollAsThread(const std::vector<SourceId>& sources, int timeout_ms, bool* deadlock) {
  SimThread* self = t_self;
  LS_CHECK(self != nullptr && g_turn == self);
  *deadlock = false;
  self->state = SimThread::State::kPolling;
  self->sources = sources;
  self->deadline.reset();
  if (timeout_ms >= 0) self->deadline = K().clock().Now() + Milliseconds(timeout_ms);
  if (!Schedule(self)) {
    *deadlock = true;
    self->state = SimThread::State::kRunning;
    return {};
  }
  return K().TakeReadyAmong(sources);
}

void AddSimulatedLoop(const void* loop) {
  std::lock_guard<std::mutex> lock(g_loops_mutex);
  g_loops.push_back(loop);
  if (t_self != nullptr && t_self->loop == nullptr) t_self->loop = loop;
}

void RemoveSimulatedLoop(const void* loop) {
  std::lock_guard<std::mutex> lock(g_loops_mutex);
  g_loops.erase(std::remove(g_loops.begin(), g_loops.end(), loop), g_loops.end());
  if (t_self != nullptr && t_self->loop == loop) t_self->loop = nullptr;
}

bool OwnsSimulatedLoop() { return t_self != nullptr && t_self->loop != nullptr; }

bool IsAddedSimulatedLoop(const void* loop) {
  std::lock_guard<std::mutex> lock(g_loops_mutex);
  return std::find(g_loops.begin(), g_loops.end(), loop) != g_loops.end();
}

void ForgetThreads() {
  g_main_thread = pthread_self();
  g_threads.clear();
  g_next_process = 0;
  g_turn = nullptr;
  t_self = nullptr;
  g_started.store(false, std::memory_order_release);
}

}  // namespace loopsim::uv
