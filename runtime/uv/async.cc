// Async handles. All async handles of a loop share one wakeup source, as libuv's share one eventfd: a
// send marks the handle pending and signals the source; when the poll phase sees the source ready, every
// pending handle's callback runs, in the order the handles were initialised. The host's own async handle
// (node's platform, host_callbacks.h) wakes nothing: it runs at the start of a poll phase.
#include "runtime/uv/internal.h"

namespace loopsim::uv {

namespace {

// Takes the pending mark off each async handle of the loop that is (`host`) or is not the host's, in the
// order the handles were initialised, and runs `run` for it. Handles closed or made meanwhile are
// visited as libuv visits them: the queue is walked from a copy, each handle put back as it is reached.
template <typename Run>
void TakePending(uv_loop_t* loop, bool host, Run run) {
  LoopState& s = State(loop);
  QueueNode queue;
  QueueMove(s.async_handles, queue);
  while (!QueueEmpty(queue)) {
    void** q = QNext(queue);
    uv_async_t* h = QueueData<uv_async_t>(q, offsetof(uv_async_t, queue));
    QueueRemove(q);
    QueueInsertTail(s.async_handles, q);
    if (h->pending == 0 || ((h->flags & kHost) != 0) != host) continue;
    h->pending = 0;
    run(h);
  }
}

}  // namespace

void AsyncWakeup(uv_loop_t* loop) {
  TakePending(loop, false, [](uv_async_t* h) {
    if (h->async_cb != nullptr) RunCallback(reinterpret_cast<uv_handle_t*>(h), [h] { h->async_cb(h); });
  });
}

void RunHostAsyncs(uv_loop_t* loop) {
  LoopState& s = State(loop);
  if (!s.host_async_sent) return;  // every poll phase asks; the host sends rarely
  s.host_async_sent = false;
  TakePending(loop, true, [](uv_async_t* h) { h->async_cb(h); });
}

void AsyncClose(uv_async_t* h) {
  QueueRemove(h->queue);
  HandleStop(reinterpret_cast<uv_handle_t*>(h));
}

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_async_init(uv_loop_t* loop, uv_async_t* handle, uv_async_cb async_cb) {
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(handle), UV_ASYNC);
  handle->async_cb = async_cb;
  handle->pending = 0;
  if (async_cb != nullptr && async_cb == GetHostCallbacks().async_cb) handle->flags |= kHost;
  QueueInsertTail(State(loop).async_handles, handle->queue);
  HandleStart(reinterpret_cast<uv_handle_t*>(handle));
  return 0;
}

int uv_async_send(uv_async_t* handle) {
  CheckSimulationThread("uv_async_send");
  TraceAsyncSend(handle);
  if (handle->pending != 0) return 0;
  handle->pending = 1;
  if (handle->flags & kHost) {
    State(handle->loop).host_async_sent = true;
  } else {
    K().Signal(State(handle->loop).wakeup);
  }
  return 0;
}

}  // extern "C"
