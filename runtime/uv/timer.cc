// Timers: a heap ordered by (due time, start id), as libuv's. Equal deadlines fire in the order they
// were started because every start takes the next start id.
#include "fakeos/base/check.h"
#include "runtime/uv/internal.h"

namespace loopsim::uv {

static void Unlink(uv_timer_t* t) {
  State(t->loop).timers.erase({t->timeout, t->start_id, t});
}

// The deadline (loop ms) and start id of a timer, added to its trace events so the invariant monitor can
// check that no timer fires early and that equal deadlines fire in start order.
static std::string DeadlineFields(const uv_timer_t* t) {
  return ",\"due\":" + std::to_string(t->timeout) + ",\"start\":" + std::to_string(t->start_id);
}

// Stops an active timer. A stop the program asks for is traced (`timer_stop`); the stops implied by
// firing and by uv_close are not, their own events say it.
static void StopTimer(uv_timer_t* t, bool traced) {
  if (!IsActive(reinterpret_cast<uv_handle_t*>(t))) return;
  Unlink(t);
  HandleStop(reinterpret_cast<uv_handle_t*>(t));
  if (traced && !(t->flags & kInternal)) TraceHandle(reinterpret_cast<uv_handle_t*>(t), "timer_stop");
}

// The next timer to fire: the earliest deadline, and of equal deadlines the earliest started (or, under
// the test-only reverse-equal-timers mutation, the latest started).
static uv_timer_t* NextDue(LoopState& s) {
  auto first = s.timers.begin();
  if (!runtime::Runtime::Get().options().mutations.reverse_equal_timers) return std::get<2>(*first);
  auto last = s.timers.upper_bound({std::get<0>(*first), UINT64_MAX, nullptr});
  return std::get<2>(*std::prev(last));
}

void RunTimers(uv_loop_t* loop) {
  LoopState& s = State(loop);
  while (!s.timers.empty()) {
    uv_timer_t* t = NextDue(s);
    if (t->timeout > loop->time) break;
    const std::string fired = DeadlineFields(t) + ",\"now\":" + std::to_string(loop->time);
    StopTimer(t, false);
    uv_timer_again(t);
    RunCallback(reinterpret_cast<uv_handle_t*>(t), [t] { t->timer_cb(t); }, fired);
  }
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
  return 0;
}

int uv_timer_start(uv_timer_t* handle, uv_timer_cb cb, uint64_t timeout, uint64_t repeat) {
  if (IsClosing(reinterpret_cast<uv_handle_t*>(handle)) || cb == nullptr) return UV_EINVAL;
  // A restart replaces the deadline; its timer_start event says so.
  StopTimer(handle, false);
  uint64_t due = handle->loop->time + timeout;
  if (due < timeout) due = UINT64_MAX;
  handle->timer_cb = cb;
  handle->timeout = due;
  handle->repeat = repeat;
  handle->start_id = State(handle->loop).timer_counter++;
  State(handle->loop).timers.insert({handle->timeout, handle->start_id, handle});
  HandleStart(reinterpret_cast<uv_handle_t*>(handle));
  if (!(handle->flags & kInternal)) {  // libuv's own timers (fs_poll's) are not the program's: untraced
    TraceHandle(reinterpret_cast<uv_handle_t*>(handle), "timer_start",
                DeadlineFields(handle) + ",\"now\":" + std::to_string(handle->loop->time));
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
