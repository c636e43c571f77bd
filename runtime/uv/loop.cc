// The loop: uv_loop_init/close, uv_run and the loop clock. uv_run follows libuv's unix core (1.44 to
// 1.52, src/unix/core.c; src/win/core.c runs the same phases) exactly; the only difference is where it
// waits: uv__io_poll's epoll_wait becomes Kernel::Poll, which moves virtual time to the next event
// instead of sleeping.
//
// Where the timers run depends on the libuv version (version.h): up to 1.44 each iteration begins with
// them; from 1.45 they end each iteration, after the closing handles, and UV_RUN_DEFAULT runs them once
// more before the first iteration. How the trace numbers iterations (the invariant monitor,
// sim/invariants.h, holds each iteration to one phase order):
// - UV_RUN_DEFAULT, either version: a timers phase begins an iteration (traced with its `loop_time`
//   event, "by":"iteration"), so every iteration reads timers, pending, idle, prepare, poll, check,
//   closing. Under 1.45+ the timers that end libuv's loop body begin the next iteration of the trace,
//   and a run's last iteration may hold only them.
// - UV_RUN_ONCE and UV_RUN_NOWAIT, 1.45+: the run is one iteration, from its pending phase to the
//   timers after its closing handles, the same "timers again" the phase-order rule knows from 1.44's
//   UV_RUN_ONCE (whose extra timers pass, after the closing handles, stays in its iteration too).
//   libuv does not update the loop time where such an iteration begins, so there is no `loop_time`
//   event there.
#include <pthread.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fakeos/base/check.h"
#include "runtime/uv/internal.h"
#include "runtime/uv/threads.h"

namespace loopsim::uv {

namespace {
// How often the host may run a loop with nothing left in it once the program is over.
constexpr uint64_t kTeardownSpins = 10'000;
thread_local const uv_loop_t* g_running_loop = nullptr;  // the thread's loop inside (or last inside) uv_run
// The thread is inside a MessagePort send the check preload reports: its last program event was
// trace::program::kMessageSend.
thread_local bool t_sending_message = false;
uv_loop_t g_default_loop;
bool g_default_loop_initialized = false;
}  // namespace

void ForgetDefaultLoop() {
  g_running_loop = nullptr;
  if (!g_default_loop_initialized) return;
  delete static_cast<LoopState*>(g_default_loop.internal_fields);
  std::memset(&g_default_loop, 0, sizeof(g_default_loop));
  g_default_loop_initialized = false;
}

bool IsSimulatedLoop(const uv_loop_t* loop) {
  return loop == &g_default_loop || (ThreadsStarted() && IsAddedSimulatedLoop(loop));
}

void CheckSimulationThread(const char* function) {
  if (OnSimulationThread()) return;
  runtime::Runtime::Get().Halt(runtime::Stop::kUnsupported,
                               std::string(function) + (ThreadsStarted()
                                                            ? " was called from a thread the simulation does not run"
                                                            : " was called from a second thread: worker threads are "
                                                              "not simulated yet"));
}

LoopState& State(const uv_loop_t* loop) {
  LS_CHECK_MSG(loop->internal_fields != nullptr, "loop used before uv_loop_init or after uv_loop_close");
  return *static_cast<LoopState*>(loop->internal_fields);
}

uint64_t NowMs() { return static_cast<uint64_t>(K().clock().Now().ns / 1000000); }

void RewindLoopAfterRehearsal(uv_loop_t* loop) {
  LoopState& s = State(loop);
  LS_CHECK_MSG(s.timers.empty() && s.host_timers.empty() && s.phase == Phase::kOutside,
               "the rehearsal left the loop running or a timer started");
  s.iteration = 0;
  s.timer_counter = 0;
  s.host_timer_counter = 0;
  loop->time = NowMs();
}

// Synchronous fs requests may come without a loop (libuv allows it): they happen outside any iteration.
void TraceEvent(const uv_loop_t* loop, std::string_view event, const TraceFields& fields) {
  runtime::Runtime& rt = runtime::Runtime::Get();
  const int64_t now = rt.kernel().clock().Now().ns;
  if (loop == nullptr || loop->internal_fields == nullptr) {
    rt.trace().Event(now, CurrentThreadNumber(), 0, Phase::kOutside, event, fields);
    return;
  }
  const LoopState& s = State(loop);
  rt.trace().Event(now, s.thread, s.iteration, s.phase, event, fields);
}

void TraceProgramEvent(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) return;
  const size_t space = line.find(' ');
  t_sending_message = line.substr(0, space) == trace::program::kMessageSend;
  const std::string name = std::string(trace::event::kProgramPrefix) + std::string(line.substr(0, space));
  TraceFields fields;
  if (space != std::string_view::npos) {
    std::string_view json = line.substr(space + 1);
    // The fields must be one JSON object: its members are spliced into the event.
    if (json.size() >= 2 && json.front() == '{' && json.back() == '}') fields.Members(json.substr(1, json.size() - 2));
  }
  TraceEvent(g_running_loop, name, fields);
}

void TraceAsyncSend(const uv_async_t* h) {
  if (!t_sending_message || (h->flags & kUntraced)) return;
  TraceFields fields;
  fields.Name(trace::key::kKind, trace::kind::kAsync)
      .Uint(trace::key::kTo, HandleId(reinterpret_cast<const uv_handle_t*>(h)));
  TraceEvent(g_running_loop, trace::event::kAsyncSend, fields);
}

static void LoopUpdateTime(uv_loop_t* loop) { loop->time = NowMs(); }

// Traces the loop time where uv_run updates it (`by`: trace::by), so the invariant monitor can hold it
// against the virtual clock (sim/invariants.h, loop-time rule).
static void TraceLoopTime(const uv_loop_t* loop, std::string_view by) {
  TraceFields fields;
  fields.Uint(trace::key::kNow, loop->time).Name(trace::key::kBy, by);
  TraceEvent(loop, trace::event::kLoopTime, fields);
}

static bool HasActiveHandles(const uv_loop_t* loop) { return loop->active_handles > 0; }

static bool PendingEmpty(const LoopState& s) { return QueueEmpty(const_cast<void**>(s.pending_queue)); }

static bool LoopAlive(const uv_loop_t* loop) {
  const LoopState& s = State(loop);
  return HasActiveHandles(loop) || s.active_reqs > 0 || !PendingEmpty(s) || s.closing_handles != nullptr;
}

// How long the poll phase may wait, in ms (-1: as long as it takes), as libuv's uv__backend_timeout.
static int BackendTimeout(const uv_loop_t* loop) {
  const LoopState& s = State(loop);
  if (loop->stop_flag == 0 && (HasActiveHandles(loop) || s.active_reqs > 0) && PendingEmpty(s) &&
      QueueEmpty(const_cast<void**>(s.idle_handles)) && s.closing_handles == nullptr) {
    return NextTimeoutMs(loop);
  }
  return 0;
}

static void FinishClose(uv_handle_t* h) {
  LS_CHECK((h->flags & kClosing) && !(h->flags & kClosed));
  h->flags |= kClosed;
  if (h->type == UV_TCP || h->type == UV_NAMED_PIPE || h->type == UV_TTY) {
    StreamDestroy(reinterpret_cast<uv_stream_t*>(h));
  }
  if (h->type == UV_UDP) UdpFinishClose(reinterpret_cast<uv_udp_t*>(h));
  // The handle is no longer counted whether or not it was referenced.
  h->flags &= ~kRef;
  QueueRemove(h->handle_queue);
  if (!(h->flags & kUntraced)) TraceHandle(h, trace::event::kCloseCallback);
  if (h->close_cb != nullptr) {
    h->close_cb(h);
    if (!(h->flags & kUntraced)) runtime::Runtime::Get().ChargeCallback();
  }
}

static void RunClosingHandles(uv_loop_t* loop) {
  LoopState& s = State(loop);
  uv_handle_t* p = s.closing_handles;
  s.closing_handles = nullptr;
  while (p != nullptr) {
    uv_handle_t* next = p->next_closing;
    FinishClose(p);
    p = next;
  }
}

// The poll phase: wait for the loop's sources (the async wakeup and the I/O backend) and dispatch them.
static void IoPoll(uv_loop_t* loop, int timeout_ms) {
  LoopState& s = State(loop);
  RunHostCallbacks(loop);
  IoFlushWatchers(loop);
  bool deadlock = false;
  const Nanos entered = K().clock().Now();
  std::vector<SourceId> ready =
      ThreadsStarted() ? PollAsThread({s.wakeup, s.signals, s.backend->source()}, timeout_ms, &deadlock)
                       : K().Poll(Milliseconds(timeout_ms < 0 ? 0 : timeout_ms), timeout_ms < 0, &deadlock);
  // With idle-time metrics on, libuv first polls without waiting, then with the timeout: what was
  // ready when the poll began is what that first poll finds.
  const bool ready_at_entry = K().clock().Now() == entered;
  const bool found_by_zero_timeout_poll = timeout_ms == 0 || (s.metrics_idle_time && ready_at_entry);
  s.poll_found_events_waiting = found_by_zero_timeout_poll;
  LoopUpdateTime(loop);
  TraceLoopTime(loop, trace::by::kPoll);
  if (deadlock) {
    runtime::Runtime::Get().Halt(
        runtime::Stop::kHang,
        "hang: the event loop waits for an event that can never come (" +
            std::to_string(loop->active_handles) + " active handles, " + std::to_string(s.active_reqs) +
            " requests in flight, nothing scheduled in the virtual kernel)");
  }
  // Each ready descriptor whose callback runs is one event of uv_metrics_info (the signal pipe and the
  // async wakeup count once each).
  int events = 0;
  // Unix backends handle the signal pipe after the poll's other events (Backend::DispatchesSignalsLast).
  const bool signals_last = s.backend->DispatchesSignalsLast();
  bool signals_ready = false;
  for (SourceId id : ready) {
    if (id == s.signals) {
      if (signals_last) {
        signals_ready = true;
        continue;
      }
      DispatchSignals(loop);
      ++events;
    }
    if (id == s.wakeup) {
      AsyncWakeup(loop);
      ++events;
    }
    if (id == s.backend->source()) events += IoDispatch(loop);
  }
  if (signals_ready) {
    DispatchSignals(loop);
    ++events;
  }
  s.metrics_events += static_cast<uint64_t>(events);
  const bool waiting = s.backend->CountsZeroTimeoutPollEventsAsWaiting() ? found_by_zero_timeout_poll
                                                                         : s.metrics_idle_time && ready_at_entry;
  if (waiting) s.metrics_events_waiting += static_cast<uint64_t>(events);
}

static void CheckBudgets(uv_loop_t* loop) {
  runtime::Runtime& rt = runtime::Runtime::Get();
  const LoopState& s = State(loop);
  if (K().clock().SinceBoot() > rt.options().virtual_time_budget) {
    rt.Halt(runtime::Stop::kHang, "hang: the virtual-time budget of " +
                                      std::to_string(rt.options().virtual_time_budget.ns / 1000000000) +
                                      " s is used up (the program never finishes)");
  }
  if (s.iteration > rt.options().iteration_budget) {
    rt.Halt(runtime::Stop::kHang, "hang: the budget of " + std::to_string(rt.options().iteration_budget) +
                                      " loop iterations is used up");
  }
}

// An iteration begins: its number, and the budgets checked against it.
static void BeginIteration(uv_loop_t* loop) {
  ++State(loop).iteration;
  CheckBudgets(loop);
}

// A timers phase that begins an iteration: the loop time is updated (unless the test-only stale-loop-time
// mutation is on), traced, and every due timer runs.
static void RunIterationTimers(uv_loop_t* loop) {
  LoopState& s = State(loop);
  BeginIteration(loop);
  if (!runtime::Runtime::Get().options().mutations.stale_loop_time) LoopUpdateTime(loop);
  s.phase = Phase::kTimers;
  TraceLoopTime(loop, trace::by::kIteration);
  RunTimers(loop);
}

// The rest of an iteration, as libuv's loop body runs it after (or, from 1.45, before) the timers:
// pending, idle, prepare, poll (and the pending work it made, a few more times), check, closing.
static void RunIterationBody(uv_loop_t* loop, uv_run_mode mode) {
  LoopState& s = State(loop);
  const runtime::TestMutations& mutate = runtime::Runtime::Get().options().mutations;
  const bool can_sleep = PendingEmpty(s) && QueueEmpty(s.idle_handles);
  s.phase = Phase::kPending;
  RunPending(loop);
  s.phase = Phase::kIdle;
  RunIdle(loop);
  s.phase = Phase::kPrepare;
  RunPrepare(loop);
  int timeout = 0;
  if ((mode == UV_RUN_ONCE && can_sleep) || mode == UV_RUN_DEFAULT) timeout = BackendTimeout(loop);
  if (mutate.check_before_poll) {
    s.phase = Phase::kCheck;
    RunCheck(loop);
  }
  ++s.metrics_loop_count;
  s.phase = Phase::kPoll;
  IoPoll(loop, timeout);
  // As libuv: callbacks made pending while polling (write completions) get a few more runs now,
  // still within the poll phase.
  for (int r = 0; r < 8 && RunPending(loop); ++r) {
  }
  s.phase = Phase::kCheck;
  if (!mutate.check_before_poll) RunCheck(loop);
  if (mutate.close_cb_in_check) RunClosingHandles(loop);
  s.phase = Phase::kClosing;
  RunClosingHandles(loop);
}

}  // namespace loopsim::uv

using namespace loopsim::uv;
using loopsim::Kernel;

extern "C" {

int uv_loop_init(uv_loop_t* loop) {
  CheckSimulationThread("uv_loop_init");
  void* data = loop->data;
  std::memset(loop, 0, sizeof(*loop));
  loop->data = data;
  auto* s = new LoopState();
  s->loop = loop;
  s->id = loopsim::runtime::Runtime::Get().NextId();
  s->thread = CurrentThreadNumber();
  s->process = CurrentProcess();
  if (loop != &g_default_loop) AddSimulatedLoop(loop);
  s->wakeup = K().NewSource();
  s->signals = K().NewSource();
  QueueInit(s->idle_handles);
  QueueInit(s->prepare_handles);
  QueueInit(s->check_handles);
  QueueInit(s->async_handles);
  QueueInit(s->handles);
  QueueInit(s->pending_queue);
  QueueInit(s->watcher_queue);
  s->backend = NewBackend(loopsim::runtime::Runtime::Get().options().backend, K());
  LS_CHECK_MSG(s->backend != nullptr, "unknown backend");
  loop->internal_fields = s;
  loop->backend_fd = -1;
  LoopUpdateTime(loop);
  uv_async_init(loop, &s->wq_async, WorkDone);
  s->wq_async.flags |= kInternal;
  uv_unref(reinterpret_cast<uv_handle_t*>(&s->wq_async));
  return 0;
}

uv_loop_t* uv_default_loop(void) {
  if (!g_default_loop_initialized) {
    if (uv_loop_init(&g_default_loop) != 0) return nullptr;
    g_default_loop_initialized = true;
  }
  return &g_default_loop;
}

int uv_loop_close(uv_loop_t* loop) {
  LoopState& s = State(loop);
  if (s.active_reqs > 0) return UV_EBUSY;
  for (void** q = QNext(s.handles); q != s.handles; q = QNext(q)) {
    uv_handle_t* h = QueueData<uv_handle_t>(q, offsetof(uv_handle_t, handle_queue));
    if (!(h->flags & kInternal)) return UV_EBUSY;
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&s.wq_async), nullptr);
  RunClosingHandles(loop);
  CloseInotify(loop);
  K().CloseSource(s.wakeup);
  K().CloseSource(s.signals);
  RemoveSimulatedLoop(loop);
  delete &s;
  void* data = loop->data;
  std::memset(loop, 0, sizeof(*loop));
  loop->data = data;
  return 0;
}

int uv_loop_configure(uv_loop_t* loop, uv_loop_option option, ...) {
  // Blocking signals (UV_LOOP_BLOCK_SIGNAL) has no meaning without real signals.
  if (option == UV_LOOP_BLOCK_SIGNAL) return 0;
  if (option == UV_METRICS_IDLE_TIME) {
    State(loop).metrics_idle_time = true;
    return 0;
  }
  // The simulation never uses io_uring; the option is accepted where libuv accepts it.
  if (option == UV_LOOP_USE_IO_URING_SQPOLL && Follows(Change::kLoopConfigureKnowsSqpoll) &&
      State(loop).backend->AcceptsIoUringSqpoll()) {
    return 0;
  }
  return UV_ENOSYS;
}

uv_loop_t* uv_loop_new(void) {
  auto* loop = static_cast<uv_loop_t*>(std::malloc(sizeof(uv_loop_t)));
  if (loop == nullptr) return nullptr;
  if (uv_loop_init(loop) != 0) {
    std::free(loop);
    return nullptr;
  }
  return loop;
}

void uv_loop_delete(uv_loop_t* loop) {
  const int err = uv_loop_close(loop);
  LS_CHECK_MSG(err == 0, "uv_loop_delete of a loop with handles or requests left");
  if (loop != &g_default_loop) std::free(loop);
}

// The simulated process never forks under a running loop: nothing of the loop belongs to a kernel
// object that a child would share, so only what libuv itself resets is reset (version.h).
int uv_loop_fork(uv_loop_t* loop) {
  if (Follows(Change::kLoopForkResetsSignalCounts)) SignalLoopFork(loop);
  return 0;
}

// The simulated loop waits inside the virtual kernel: it has no host descriptor a program could add to
// its own poll set (as on Windows, which has none either).
int uv_backend_fd(const uv_loop_t* loop) { return loop->backend_fd; }

int uv_backend_timeout(const uv_loop_t* loop) {
  if (!QueueEmpty(const_cast<void**>(State(loop).watcher_queue))) return 0;
  return BackendTimeout(loop);
}

int uv_metrics_info(uv_loop_t* loop, uv_metrics_t* metrics) {
  const LoopState& s = State(loop);
  std::memset(metrics, 0, sizeof(*metrics));
  metrics->loop_count = s.metrics_loop_count;
  metrics->events = s.metrics_events;
  metrics->events_waiting = s.metrics_events_waiting;
  return 0;
}

int uv_loop_alive(const uv_loop_t* loop) { return LoopAlive(loop) ? 1 : 0; }

void* uv_loop_get_data(const uv_loop_t* loop) { return loop->data; }
void uv_loop_set_data(uv_loop_t* loop, void* data) { loop->data = data; }

void uv_stop(uv_loop_t* loop) { loop->stop_flag = 1; }

uint64_t uv_now(const uv_loop_t* loop) { return loop->time; }

void uv_update_time(uv_loop_t* loop) { LoopUpdateTime(loop); }

uint64_t uv_hrtime(void) { return static_cast<uint64_t>(loopsim::runtime::SimClock().Now().ns); }

uint64_t uv_metrics_idle_time(uv_loop_t* loop) { return 0; }

// The phase order is libuv's (src/unix/core.c, uv_run): timers, pending, idle, prepare, poll, check,
// closing. Up to 1.44 the timers begin each iteration and UV_RUN_ONCE runs the due ones once more at
// the end; from 1.45 they end each iteration and UV_RUN_DEFAULT runs them once before the first, which
// from 1.46 needs a live, unstopped loop (see the banner for how the trace numbers these). UV_RUN_ONCE
// and UV_RUN_NOWAIT run one iteration either way.
int uv_run(uv_loop_t* loop, uv_run_mode mode) {
  CheckSimulationThread("uv_run");
  loopsim::runtime::Runtime::Get().ChargeScript();
  LoopState& s = State(loop);
  const uv_loop_t* outer_loop = g_running_loop;
  g_running_loop = loop;
  bool alive = LoopAlive(loop);
  if (!alive) LoopUpdateTime(loop);
  if (!alive && loopsim::runtime::Runtime::Get().program_over() && ++s.idle_runs_after_program > kTeardownSpins) {
    // The host tears down by running the loop until its requests complete (Node's CleanupHandles); one
    // that never will (its callback was lost) would have it spin forever, as it would on libuv.
    loopsim::runtime::Runtime::Get().Halt(
        loopsim::runtime::Stop::kHang,
        "hang: the program ended with a request in flight that never completes (" + std::to_string(s.active_reqs) +
            " requests), and node's teardown waits for it");
  }

  if (!Follows(Change::kTimersEndTheIteration)) {
    while (alive && loop->stop_flag == 0) {
      RunIterationTimers(loop);
      RunIterationBody(loop, mode);
      if (mode == UV_RUN_ONCE) {
        s.phase = Phase::kTimers;
        LoopUpdateTime(loop);
        RunTimers(loop);
      }
      s.phase = Phase::kOutside;
      alive = LoopAlive(loop);
      if (mode == UV_RUN_ONCE || mode == UV_RUN_NOWAIT) break;
    }
  } else if (mode == UV_RUN_DEFAULT) {
    const bool timers_first = Follows(Change::kTimersBeforeTheLoopNeedALiveLoop)
                                  ? alive && loop->stop_flag == 0
                                  : true;  // 1.45.0 ran them even for a dead or stopped loop
    if (timers_first) RunIterationTimers(loop);
    while (alive && loop->stop_flag == 0) {
      RunIterationBody(loop, mode);
      RunIterationTimers(loop);  // they end this iteration and begin the next one in the trace
      s.phase = Phase::kOutside;
      alive = LoopAlive(loop);
    }
  } else if (alive && loop->stop_flag == 0) {
    BeginIteration(loop);
    RunIterationBody(loop, mode);
    s.phase = Phase::kTimers;
    LoopUpdateTime(loop);
    RunTimers(loop);
    s.phase = Phase::kOutside;
    alive = LoopAlive(loop);
  }
  s.phase = Phase::kOutside;
  // A loop with nothing left has no request in flight: the invariant monitor holds every request
  // submitted so far to having completed here (sim/invariants.h, request-once).
  if (!alive) TraceEvent(loop, trace::event::kLoopEmpty, TraceFields());
  // Keep pointing at this loop after it returns, so events between runs (beforeExit, exit) are placed
  // after its last iteration.
  if (outer_loop != nullptr) g_running_loop = outer_loop;
  if (loop->stop_flag != 0) loop->stop_flag = 0;
  return alive ? 1 : 0;
}

}  // extern "C"
