// Idle, prepare and check handles. As in libuv, a started watcher goes to the head of its list, and a
// phase runs the list it had when the phase began, rotating each handle to the tail before its callback,
// so callbacks may start or stop watchers (including themselves) while the phase runs.
#include "runtime/uv/internal.h"

namespace loopsim::uv {

template <typename T, typename Cb>
static int WatcherStart(T* h, Cb cb, Cb T::*cb_field, QueueNode& list) {
  auto* base = reinterpret_cast<uv_handle_t*>(h);
  if (IsActive(base)) return 0;
  if (cb == nullptr) return UV_EINVAL;
  QueueInsertHead(list, h->queue);
  h->*cb_field = cb;
  HandleStart(base);
  return 0;
}

template <typename T>
static int WatcherStop(T* h) {
  auto* base = reinterpret_cast<uv_handle_t*>(h);
  if (!IsActive(base)) return 0;
  QueueRemove(h->queue);
  HandleStop(base);
  return 0;
}

template <typename T, typename Cb>
static void WatcherRun(QueueNode& list, Cb T::*cb_field) {
  QueueNode queue;
  QueueMove(list, queue);
  while (!QueueEmpty(queue)) {
    void** q = QNext(queue);
    T* h = QueueData<T>(q, offsetof(T, queue));
    QueueRemove(q);
    QueueInsertTail(list, q);
    RunCallback(reinterpret_cast<uv_handle_t*>(h), [h, cb_field] { (h->*cb_field)(h); });
  }
}

void RunIdle(uv_loop_t* loop) { WatcherRun<uv_idle_t>(State(loop).idle_handles, &uv_idle_t::idle_cb); }
void RunPrepare(uv_loop_t* loop) {
  WatcherRun<uv_prepare_t>(State(loop).prepare_handles, &uv_prepare_t::prepare_cb);
}
void RunCheck(uv_loop_t* loop) { WatcherRun<uv_check_t>(State(loop).check_handles, &uv_check_t::check_cb); }
void IdleClose(uv_idle_t* h) { WatcherStop(h); }
void PrepareClose(uv_prepare_t* h) { WatcherStop(h); }
void CheckClose(uv_check_t* h) { WatcherStop(h); }

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

// The idle, prepare and check families differ only in their names.
#define LOOPSIM_LOOP_WATCHER(name, type)                                                  \
  int uv_##name##_init(uv_loop_t* loop, uv_##name##_t* h) {                                \
    HandleInit(loop, reinterpret_cast<uv_handle_t*>(h), type);                             \
    h->name##_cb = nullptr;                                                                \
    return 0;                                                                              \
  }                                                                                        \
  int uv_##name##_start(uv_##name##_t* h, uv_##name##_cb cb) {                             \
    return WatcherStart(h, cb, &uv_##name##_t::name##_cb, State(h->loop).name##_handles);  \
  }                                                                                        \
  int uv_##name##_stop(uv_##name##_t* h) { return WatcherStop(h); }

LOOPSIM_LOOP_WATCHER(idle, UV_IDLE)
LOOPSIM_LOOP_WATCHER(prepare, UV_PREPARE)
LOOPSIM_LOOP_WATCHER(check, UV_CHECK)

#undef LOOPSIM_LOOP_WATCHER

}  // extern "C"
