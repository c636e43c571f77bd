// Signal handles. Nothing sends signals to a simulated process yet, so a started handle only waits; it
// keeps the loop alive if referenced, as in libuv (Node unreferences its own).
#include "runtime/uv/internal.h"

namespace loopsim::uv {

void SignalClose(uv_signal_t* h) { uv_signal_stop(h); }

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_signal_init(uv_loop_t* loop, uv_signal_t* handle) {
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(handle), UV_SIGNAL);
  handle->signum = 0;
  handle->signal_cb = nullptr;
  return 0;
}

int uv_signal_start(uv_signal_t* handle, uv_signal_cb signal_cb, int signum) {
  if (IsClosing(reinterpret_cast<uv_handle_t*>(handle))) return UV_EINVAL;
  if (signum <= 0 || signum >= 65) return UV_EINVAL;
  handle->signal_cb = signal_cb;
  handle->signum = signum;
  HandleStart(reinterpret_cast<uv_handle_t*>(handle));
  return 0;
}

int uv_signal_stop(uv_signal_t* handle) {
  HandleStop(reinterpret_cast<uv_handle_t*>(handle));
  handle->signum = 0;
  return 0;
}

}  // extern "C"
