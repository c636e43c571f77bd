// Pipe handles as unix-domain stream sockets on the virtual network (net.createServer().listen(path),
// net.connect(path)), sharing the stream code with TCP, as libuv's src/unix/pipe.c does. Socket paths
// live in the network's own name space, not in the virtual file system. Not simulated: IPC pipes
// (passing handles, as child processes and cluster use) and opening an existing descriptor as a pipe.
#include <poll.h>

#include <cstdlib>
#include <cstring>

#include "runtime/uv/internal.h"

namespace loopsim::uv {

namespace {

StreamSocket* Socket(const uv_pipe_t* p) {
  return dynamic_cast<StreamSocket*>(K().vfs().Description(p->io_watcher.fd));
}

int EnsureSocket(uv_pipe_t* p) {
  if (p->io_watcher.fd != -1) return 0;
  std::shared_ptr<StreamSocket> socket;
  const int err = K().net().NewStreamSocket(Network::kLocalHost, true, &socket);
  if (err < 0) return err;
  const int fd = K().vfs().AddDescription(std::move(socket));
  return StreamOpen(reinterpret_cast<uv_stream_t*>(p), fd, kReadable | kWritable);
}

int Name(const uv_pipe_t* p, char* buffer, size_t* size, bool peer) {
  StreamSocket* socket = Socket(p);
  if (socket == nullptr) return UV_EBADF;
  SockAddr addr;
  const int err = peer ? socket->PeerAddress(&addr) : socket->LocalAddress(&addr);
  if (err < 0) return err;
  return CopyName(addr.path, buffer, size);
}

}  // namespace

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_pipe_init(uv_loop_t* loop, uv_pipe_t* handle, int ipc) {
  if (ipc) Unsimulated("uv_pipe_init (an IPC pipe)");
  StreamInit(loop, reinterpret_cast<uv_stream_t*>(handle), UV_NAMED_PIPE);
  handle->ipc = 0;
  handle->pipe_fname = nullptr;
  return 0;
}

int uv_pipe_bind(uv_pipe_t* handle, const char* name) {
  if (name == nullptr || *name == '\0') return UV_EINVAL;
  if (handle->flags & kBound) return UV_EINVAL;
  int err = EnsureSocket(handle);
  if (err < 0) return err;
  err = Socket(handle)->Bind(loopsim::SockAddr::Unix(name));
  if (err < 0) return err;
  handle->pipe_fname = strdup(name);
  handle->flags |= kBound;
  return 0;
}

void uv_pipe_connect(uv_connect_t* req, uv_pipe_t* handle, const char* name, uv_connect_cb cb) {
  int err = EnsureSocket(handle);
  if (err == 0) err = Socket(handle)->Connect(loopsim::SockAddr::Unix(name));
  if (err < 0 && err != -EINPROGRESS) handle->delayed_error = err;
  StartConnectRequest(reinterpret_cast<uv_stream_t*>(handle), req, cb);
  // As libuv 1.44's src/unix/pipe.c: an error is reported by the callback from the next pending phase;
  // a connection (which a unix socket makes at once) waits for the socket to poll writable, so its
  // callback runs in the poll phase, after the listener's accept if the listener became ready first,
  // as epoll reports it on Linux. Windows libuv (src/win/pipe.c) queues even a successful connect as a
  // pending request: the IOCP personality keeps that.
  if (handle->delayed_error == 0 && handle->io_watcher.fd != -1) IoStart(handle->loop, &handle->io_watcher, POLLOUT);
  if (handle->delayed_error != 0 || State(handle->loop).backend->PipeConnectCompletesPending()) {
    IoFeed(handle->loop, &handle->io_watcher);
  }
}

int uv_pipe_getsockname(const uv_pipe_t* handle, char* buffer, size_t* size) {
  return Name(handle, buffer, size, false);
}

int uv_pipe_getpeername(const uv_pipe_t* handle, char* buffer, size_t* size) {
  return Name(handle, buffer, size, true);
}

// Permissions of a socket path mean nothing without a file for it.
int uv_pipe_chmod(uv_pipe_t* handle, int flags) { return handle->io_watcher.fd == -1 ? UV_EBADF : 0; }

int uv_pipe_pending_count(uv_pipe_t* handle) { return 0; }
uv_handle_type uv_pipe_pending_type(uv_pipe_t* handle) { return UV_UNKNOWN_HANDLE; }

int uv_pipe_open(uv_pipe_t*, uv_file file) { Unsimulated("uv_pipe_open"); }

}  // extern "C"
