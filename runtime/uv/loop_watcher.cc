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

int uv_idle_init(uv_loop_t* loop, uv_idle_t* h) {
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(h), UV_IDLE);
  h->idle_cb = nullptr;
  return 0;
}
int uv_idle_start(uv_idle_t* h, uv_idle_cb cb) {
  return WatcherStart(h, cb, &uv_idle_t::idle_cb, State(h->loop).idle_handles);
}
int uv_idle_stop(uv_idle_t* h) { return WatcherStop(h); }

int uv_prepare_init(uv_loop_t* loop, uv_prepare_t* h) {
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(h), UV_PREPARE);
  h->prepare_cb = nullptr;
  return 0;
}
int uv_prepare_start(uv_prepare_t* h, uv_prepare_cb cb) {
  return WatcherStart(h, cb, &uv_prepare_t::prepare_cb, State(h->loop).prepare_handles);
}
int uv_prepare_stop(uv_prepare_t* h) { return WatcherStop(h); }

int uv_check_init(uv_loop_t* loop, uv_check_t* h) {
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(h), UV_CHECK);
  h->check_cb = nullptr;
  return 0;
}
int uv_check_start(uv_check_t* h, uv_check_cb cb) {
  return WatcherStart(h, cb, &uv_check_t::check_cb, State(h->loop).check_handles);
}
int uv_check_stop(uv_check_t* h) { return WatcherStop(h); }

}  // extern "C"
