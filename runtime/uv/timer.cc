// Timers: a heap ordered by (due time, start id), as libuv's. Equal deadlines fire in the order they
// were started because every start takes the next start id. How a run of the due timers treats timers
// that callbacks start or stop depends on the libuv version (src/timer.c, uv__run_timers): up to 1.47
// each due timer is taken off the heap just before its callback, so a callback that re-arms a timer to
// be due at once makes it run again in the same run; from 1.48 the due timers are collected first (on
// a ready list through the handle's heap node, as libuv's union does), so such a timer waits for the
// next run, and one that an earlier callback of the batch stopped, restarted or closed does not run.
// The host's timers (node's platform's delayed tasks, host_callbacks.h) are kept on a heap of
// their own, which only the start of a poll phase runs.
#include <charconv>
#include <cstring>

#include "fakeos/base/check.h"
#include "runtime/uv/internal.h"

namespace loopsim::uv {

static void Unlink(uv_timer_t* t) {
  LoopState& s = State(t->loop);
  (t->flags & kHost ? s.host_timers : s.timers).erase({t->timeout, t->start_id, t});
}

// The deadline (loop ms) and start id of a timer, added to its trace events so the invariant monitor can
// check that no timer fires early and that equal deadlines fire in start order.
// With the loop time (`now`) after them: when the timer was started, or when it fires.
static TraceFields DeadlineFields(const uv_timer_t* t) {
  TraceFields fields;
  fields.Uint(trace::key::kDue, t->timeout).Uint(trace::key::kStart, t->start_id).Uint(trace::key::kNow, t->loop->time);
  return fields;
}

// The ready-list node of a timer: libuv keeps it in the timer's heap node, which a timer off the heap
// does not use; ours does not use the heap node at all.
static void** ReadyNode(uv_timer_t* t) { return reinterpret_cast<void**>(t->heap_node); }

// Stops an active timer, or takes a collected one off the ready list. A stop the program asks for is
// traced (`timer_stop`); the stops implied by firing and by uv_close are not, their own events say it.
static void StopTimer(uv_timer_t* t, bool traced) {
  if (!QueueEmpty(ReadyNode(t))) {
    QueueRemove(ReadyNode(t));
    QueueInit(ReadyNode(t));
  }
  if (!IsActive(reinterpret_cast<uv_handle_t*>(t))) return;
  Unlink(t);
  HandleStop(reinterpret_cast<uv_handle_t*>(t));
  if (traced && !(t->flags & kUntraced)) TraceHandle(reinterpret_cast<uv_handle_t*>(t), trace::event::kTimerStop);
}

// The next timer to fire: the earliest deadline, and of equal deadlines the earliest started (or, under
// the test-only reverse-equal-timers mutation, the latest started).
static uv_timer_t* NextDue(LoopState& s) {
  auto first = s.timers.begin();
  if (!runtime::Runtime::Get().options().mutations.reverse_equal_timers) return std::get<2>(*first);
  auto last = s.timers.upper_bound({std::get<0>(*first), UINT64_MAX, nullptr});
  return std::get<2>(*std::prev(last));
}

// Re-arms a repeating timer and runs its callback.
static void Fire(uv_timer_t* t) {
  const TraceFields fired = DeadlineFields(t);
  uv_timer_again(t);
  RunCallback(
      reinterpret_cast<uv_handle_t*>(t), [t] { t->timer_cb(t); }, fired);
}

void RunTimers(uv_loop_t* loop) {
  LoopState& s = State(loop);
  if (!Follows(Change::kTimersRunInBatches)) {
    while (!s.timers.empty()) {
      uv_timer_t* t = NextDue(s);
      if (t->timeout > loop->time) break;
      StopTimer(t, false);
      Fire(t);
    }
    return;
  }
  QueueNode ready;
  QueueInit(ready);
  while (!s.timers.empty()) {
    uv_timer_t* t = NextDue(s);
    if (t->timeout > loop->time) break;
    StopTimer(t, false);
    QueueInsertTail(ready, ReadyNode(t));
  }
  while (!QueueEmpty(ready)) {
    void** q = QNext(ready);
    QueueRemove(q);
    QueueInit(q);
    Fire(QueueData<uv_timer_t>(q, offsetof(uv_timer_t, heap_node)));
  }
}

void RunHostTimers(uv_loop_t* loop) {
  LoopState& s = State(loop);
  while (!s.host_timers.empty()) {
    uv_timer_t* t = std::get<2>(*s.host_timers.begin());
    if (t->timeout > loop->time) break;
    StopTimer(t, false);
    uv_timer_again(t);
    t->timer_cb(t);
  }
}

// A timer started with the host's callback becomes the host's (node makes a fresh one for each delayed
// task, right after its uv_timer_init): the id its init took goes back, so the program's handles are
// numbered as if it had never been made.
// Made while booting or not, it is no handle of the boot (whose close would end the program).
static void AdoptHostTimer(uv_timer_t* t) {
  t->flags = (t->flags | kHost) & ~kBoot;
  runtime::Runtime::Get().ReturnId(HandleId(reinterpret_cast<uv_handle_t*>(t)));
  t->u.reserved[3] = nullptr;
}

int NextTimeoutMs(const uv_loop_t* loop) {
  const LoopState& s = State(loop);
  if (s.timers.empty()) return -1;
  const uint64_t timeout = std::get<0>(*s.timers.begin());
  if (timeout <= loop->time) return 0;
  const uint64_t diff = timeout - loop->time;
  return diff > static_cast<uint64_t>(INT_MAX) ? INT_MAX : static_cast<int>(diff);
}

void TimerClose(uv_timer_t* t) { StopTimer(t, false); }

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_timer_init(uv_loop_t* loop, uv_timer_t* handle) {
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(handle), UV_TIMER);
  handle->timer_cb = nullptr;
  handle->timeout = 0;
  handle->repeat = 0;
  handle->start_id = 0;
  QueueInit(ReadyNode(handle));
  return 0;
}

int uv_timer_start(uv_timer_t* handle, uv_timer_cb cb, uint64_t timeout, uint64_t repeat) {
  if (IsClosing(reinterpret_cast<uv_handle_t*>(handle)) || cb == nullptr) return UV_EINVAL;
  // A restart replaces the deadline; its timer_start event says so.
  StopTimer(handle, false);
  if (cb == GetHostCallbacks().timer_cb && !(handle->flags & kHost)) AdoptHostTimer(handle);
  LoopState& s = State(handle->loop);
  uint64_t due = handle->loop->time + timeout;
  if (due < timeout) due = UINT64_MAX;
  handle->timer_cb = cb;
  handle->timeout = due;
  handle->repeat = repeat;
  const bool host = (handle->flags & kHost) != 0;
  handle->start_id = host ? s.host_timer_counter++ : s.timer_counter++;
  (host ? s.host_timers : s.timers).insert({handle->timeout, handle->start_id, handle});
  HandleStart(reinterpret_cast<uv_handle_t*>(handle));
  // libuv's own timers (fs_poll's) and the host's are not the program's: untraced.
  if (!(handle->flags & kUntraced)) {
    TraceHandle(reinterpret_cast<uv_handle_t*>(handle), trace::event::kTimerStart, DeadlineFields(handle));
  }
  return 0;
}

int uv_timer_stop(uv_timer_t* handle) {
  StopTimer(handle, true);
  return 0;
}

int uv_timer_again(uv_timer_t* handle) {
  if (handle->timer_cb == nullptr) return UV_EINVAL;
  if (handle->repeat != 0) {
    StopTimer(handle, false);
    uv_timer_start(handle, handle->timer_cb, handle->repeat, handle->repeat);
  }
  return 0;
}

void uv_timer_set_repeat(uv_timer_t* handle, uint64_t repeat) { handle->repeat = repeat; }

uint64_t uv_timer_get_repeat(const uv_timer_t* handle) { return handle->repeat; }

uint64_t uv_timer_get_due_in(const uv_timer_t* handle) {
  if (handle->loop->time >= handle->timeout) return 0;
  return handle->timeout - handle->loop->time;
}

}  // extern "C"
