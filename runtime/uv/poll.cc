// Poll handles (uv_poll_*) on the simulated machine's descriptors, as libuv's unix poll.c behaves: a
// handle watches a descriptor it does not own for readability, writability and the peer's hang-up,
// through the same I/O watcher machinery as streams, so its callbacks run in the poll phase in the
// backend's order. An error on the descriptor stops the handle and reports UV_EBADF. UV_PRIORITIZED is
// accepted and never reported (the virtual network has no out-of-band data).
//
// Only descriptors of the simulated kernel can be polled: uv_poll_init on a regular file fails with
// EPERM (as epoll refuses it), on a descriptor that is not open with EBADF, and on one some other handle
// watches with EEXIST. uv_poll_init_socket, which Node calls only for c-ares' own host sockets, stops
// the run (unsimulated.cc).
#include <poll.h>

#include "runtime/uv/internal.h"

namespace loopsim::uv {

namespace {

constexpr int kAllEvents = UV_READABLE | UV_WRITABLE | UV_DISCONNECT | UV_PRIORITIZED;

uv_handle_t* AsHandle(uv_poll_t* h) { return reinterpret_cast<uv_handle_t*>(h); }

// The UV_* events the handle asked for, kept in the handle's spare word (the handle id uses another): the
// backend is asked for POLLIN/POLLOUT only (a hang-up shows as readability), so the request is kept here.
int Wanted(const uv_poll_t* h) { return static_cast<int>(reinterpret_cast<intptr_t>(h->u.reserved[0])); }
void SetWanted(uv_poll_t* h, int events) { h->u.reserved[0] = reinterpret_cast<void*>(static_cast<intptr_t>(events)); }

void PollIo(uv_loop_t* loop, uv__io_t* w, unsigned events) {
  uv_poll_t* h = reinterpret_cast<uv_poll_t*>(reinterpret_cast<char*>(w) - offsetof(uv_poll_t, io_watcher));
  if (events & POLLERR) {
    IoStop(loop, w, POLLIN | POLLOUT);
    HandleStop(AsHandle(h));
    RunCallback(
        AsHandle(h), [h] { h->poll_cb(h, UV_EBADF, 0); }, TraceFields().Int(trace::key::kStatus, UV_EBADF));
    return;
  }
  const int wanted = Wanted(h);
  int out = 0;
  if ((events & POLLIN) && (wanted & UV_READABLE)) out |= UV_READABLE;
  if ((events & POLLOUT) && (wanted & UV_WRITABLE)) out |= UV_WRITABLE;
  if (wanted & UV_DISCONNECT) {
    const FileDescription* d = K().vfs().Description(w->fd);
    if (d != nullptr && (d->Poll() & (kPollRdHup | kPollHup))) out |= UV_DISCONNECT;
  }
  if (out == 0) return;  // readable only because of a hang-up nobody asked about
  RunCallback(
      AsHandle(h), [h, out] { h->poll_cb(h, 0, out); }, TraceFields().Int(trace::key::kEvents, out));
}

}  // namespace

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_poll_init(uv_loop_t* loop, uv_poll_t* handle, int fd) {
  if (State(loop).watchers.count(fd) != 0) return UV_EEXIST;
  if (!K().vfs().IsOpen(fd)) return UV_EBADF;
  if (K().vfs().Description(fd) == nullptr) return UV_EPERM;
  HandleInit(loop, AsHandle(handle), UV_POLL);
  IoInit(&handle->io_watcher, PollIo, fd);
  handle->poll_cb = nullptr;
  SetWanted(handle, 0);
  return 0;
}

int uv_poll_start(uv_poll_t* handle, int events, uv_poll_cb cb) {
  if ((events & ~kAllEvents) != 0 || IsClosing(AsHandle(handle))) return UV_EINVAL;
  uv_poll_stop(handle);
  if (events == 0) return 0;
  unsigned wanted = 0;
  if (events & (UV_READABLE | UV_DISCONNECT)) wanted |= POLLIN;
  if (events & UV_WRITABLE) wanted |= POLLOUT;
  SetWanted(handle, events);
  handle->poll_cb = cb;
  if (wanted != 0) IoStart(handle->loop, &handle->io_watcher, wanted);
  HandleStart(AsHandle(handle));
  return 0;
}

int uv_poll_stop(uv_poll_t* handle) {
  IoStop(handle->loop, &handle->io_watcher, POLLIN | POLLOUT);
  HandleStop(AsHandle(handle));
  return 0;
}

}  // extern "C"
