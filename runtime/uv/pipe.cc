// Pipe handles as unix-domain stream sockets on the virtual network (net.createServer().listen(path),
// net.connect(path)), sharing the stream code with TCP, as libuv's src/unix/pipe.c does. Socket paths
// live in the network's own name space, not in the virtual file system. Which names bind and connect
// accept, and how long they may be, changed between libuv versions (version.h): this file follows
// each. Also here: the kernel's own pipes and socket pairs (uv_pipe, uv_socketpair), as descriptors of
// the simulated machine, and opening one as a pipe (uv_pipe_open); descriptors passed over an IPC pipe
// are ipc.cc's.
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/uv/internal.h"
#include "runtime/uv/process.h"

namespace loopsim::uv {

namespace {

constexpr size_t kSunPathSize = 108;  // sizeof(sockaddr_un::sun_path) on Linux

StreamSocket* Socket(const uv_pipe_t* p) {
  return dynamic_cast<StreamSocket*>(K().vfs().Description(p->io_watcher.fd));
}

int EnsureSocket(uv_pipe_t* p) {
  if (p->io_watcher.fd != -1) return 0;
  std::shared_ptr<StreamSocket> socket;
  const int err = K().net().NewStreamSocket(CurrentHost(), true, &socket);
  if (err < 0) return err;
  const int fd = K().vfs().AddDescription(std::move(socket));
  return StreamOpen(reinterpret_cast<uv_stream_t*>(p), fd, kReadable | kWritable);
}

bool HasAbstractNames(const uv_loop_t* loop) { return State(loop).backend->HasAbstractSocketNamespace(); }

// The socket name uv_pipe_bind and uv_pipe_connect give the kernel, up to libuv 1.45: the name copied
// into sun_path as a C string (at most 107 bytes), the whole sun_path passed. A name that starts with a
// NUL is therefore Linux's abstract name of 108 NUL bytes.
std::string LegacyName(const char* name) {
  std::string copied(name, strnlen(name, kSunPathSize - 1));
  if (copied.empty()) return std::string(kSunPathSize, '\0');
  return copied;
}

// The socket name uv_pipe_bind2 and uv_pipe_connect2 (libuv >= 1.46; uv_pipe_bind and uv_pipe_connect
// pass strlen(name)) give the kernel, or the error they refuse the name with (src/unix/pipe.c).
// namelen == 0 is for the caller (autobind or refuse). A path ends at its first NUL; an abstract name
// (Linux only: a leading NUL) is namelen bytes, padded with NULs to the whole sun_path before 1.48.
int Name2(const uv_loop_t* loop, const char* name, size_t namelen, unsigned int flags, std::string* out) {
  if (flags & ~static_cast<unsigned>(UV_PIPE_NO_TRUNCATE)) return UV_EINVAL;
  if (name == nullptr) return UV_EINVAL;
  const bool abstract_names = HasAbstractNames(loop);
  const bool abstract = name[0] == '\0';
  if (Follows(Change::kPipeNamesRefuseEmbeddedNul)) {
    // Linux lets an abstract name start with its NUL, and from 1.51 hold more.
    const size_t from = abstract_names && abstract ? 1 : 0;
    const bool nul_allowed = abstract_names && abstract && Follows(Change::kAbstractPipeNamesMayHoldNul);
    if (!nul_allowed && namelen > from && std::memchr(name + from, '\0', namelen - from) != nullptr) {
      return UV_EINVAL;
    }
  } else if (abstract && !abstract_names) {
    return UV_EINVAL;
  }
  if ((flags & UV_PIPE_NO_TRUNCATE) && namelen > kSunPathSize) return UV_EINVAL;
  namelen = std::min(namelen, kSunPathSize);
  if (!abstract) {
    *out = std::string(name, strnlen(name, namelen));
  } else if (Follows(Change::kAbstractPipeNamesKeepTheirLength)) {
    *out = std::string(name, namelen);
  } else {
    *out = std::string(name, namelen) + std::string(kSunPathSize - namelen, '\0');
  }
  return 0;
}

// Binds the handle's (new) socket to `name`.
int Bind(uv_pipe_t* handle, const std::string& name) {
  if (handle->io_watcher.fd >= 0) return UV_EINVAL;  // already bound
  if (IsClosing(reinterpret_cast<uv_handle_t*>(handle))) return UV_EINVAL;
  int err = EnsureSocket(handle);
  if (err < 0) return err;
  err = Socket(handle)->Bind(SockAddr::Unix(name));
  if (err < 0) return err;
  // The path the handle keeps (libuv unlinks it at close); an abstract name is no file.
  handle->pipe_fname = name[0] == '\0' ? nullptr : strdup(name.c_str());
  handle->flags |= kBound;
  return 0;
}

// Linux's autobind (an empty name, libuv >= 1.49): the socket gets an abstract name of five hex
// digits, the first one free counting from 00000.
int Autobind(uv_pipe_t* handle) {
  for (unsigned n = 0; n < 0x100000; ++n) {
    char name[7];
    std::snprintf(name, sizeof(name), "%c%05x", 0, n);
    if (K().net().UnixPathInUse(std::string(name, 6))) continue;
    return Bind(handle, std::string(name, 6));
  }
  return UV_EADDRINUSE;
}

void Connect(uv_connect_t* req, uv_pipe_t* handle, const std::string& name, uv_connect_cb cb) {
  int err = EnsureSocket(handle);
  if (err == 0) err = Socket(handle)->Connect(loopsim::SockAddr::Unix(name));
  if (err < 0 && err != -EINPROGRESS) handle->delayed_error = err;
  StartConnectRequest(reinterpret_cast<uv_stream_t*>(handle), req, cb);
  // As libuv's src/unix/pipe.c: an error is reported by the callback from the next pending phase;
  // a connection (which a unix socket makes at once) waits for the socket to poll writable, so its
  // callback runs in the poll phase, after the listener's accept if the listener became ready first,
  // as epoll reports it on Linux. Windows libuv (src/win/pipe.c) queues even a successful connect as a
  // pending request: the IOCP personality keeps that.
  if (handle->delayed_error == 0 && handle->io_watcher.fd != -1) IoStart(handle->loop, &handle->io_watcher, POLLOUT);
  if (handle->delayed_error != 0 || State(handle->loop).backend->PipeConnectCompletesPending()) {
    IoFeed(handle->loop, &handle->io_watcher);
  }
}

// getsockname/getpeername: the name as libuv copies it out (src/unix/pipe.c, uv__pipe_getsockpeername).
// A path is NUL-terminated; an abstract name (and, on Linux, an unnamed socket's empty one) is copied
// as it is. Up to 1.49 the buffer must have room for a NUL either way; from 1.50 an abstract name
// needs none, and a missing buffer or size is refused first.
int Name(const uv_pipe_t* p, char* buffer, size_t* size, bool peer) {
  if (Follows(Change::kBufferArgumentsAreChecked) && (buffer == nullptr || size == nullptr || *size == 0)) {
    return UV_EINVAL;
  }
  StreamSocket* socket = Socket(p);
  SockAddr addr;
  int err = socket == nullptr ? UV_EBADF : peer ? socket->PeerAddress(&addr) : socket->LocalAddress(&addr);
  if (err < 0) {
    *size = 0;
    return err;
  }
  const std::string& name = addr.path;
  const bool abstract = HasAbstractNames(p->loop) && (name.empty() || name[0] == '\0');
  const size_t room = Follows(Change::kBufferArgumentsAreChecked) && abstract ? name.size() : name.size() + 1;
  if (room > *size) {
    *size = room;
    return UV_ENOBUFS;
  }
  std::memcpy(buffer, name.data(), name.size());
  if (!abstract) buffer[name.size()] = '\0';
  *size = name.size();
  return 0;
}

}  // namespace

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_pipe_init(uv_loop_t* loop, uv_pipe_t* handle, int ipc) {
  StreamInit(loop, reinterpret_cast<uv_stream_t*>(handle), UV_NAMED_PIPE);
  handle->ipc = ipc != 0 ? 1 : 0;
  handle->pipe_fname = nullptr;
  return 0;
}

int uv_pipe_bind(uv_pipe_t* handle, const char* name) {
  if (name == nullptr) return UV_EINVAL;
  if (Follows(Change::kPipeNamesKeep108Bytes)) return uv_pipe_bind2(handle, name, std::strlen(name), 0);
  return Bind(handle, LegacyName(name));
}

int uv_pipe_bind2(uv_pipe_t* handle, const char* name, size_t namelen, unsigned int flags) {
  std::string bound;
  const int err = Name2(handle->loop, name, namelen, flags, &bound);
  if (err != 0) return err;
  if (namelen > 0) return Bind(handle, bound);
  if (!Follows(Change::kPipeEmptyNameAutobinds) || !HasAbstractNames(handle->loop)) return UV_EINVAL;
  if (handle->io_watcher.fd >= 0 || IsClosing(reinterpret_cast<uv_handle_t*>(handle))) return UV_EINVAL;
  return Autobind(handle);
}

// A name connect refuses makes no request before libuv 1.48 (uv_pipe_connect drops the error, so its
// callback never comes); from 1.48 the callback reports it from the next pending phase.
void uv_pipe_connect(uv_connect_t* req, uv_pipe_t* handle, const char* name, uv_connect_cb cb) {
  if (!Follows(Change::kPipeNamesKeep108Bytes)) {
    Connect(req, handle, LegacyName(name), cb);
    return;
  }
  const int err = uv_pipe_connect2(req, handle, name, std::strlen(name), 0, cb);
  if (err == 0 || !Follows(Change::kPipeConnectReportsRefusedNames)) return;
  handle->delayed_error = err;
  StartConnectRequest(reinterpret_cast<uv_stream_t*>(handle), req, cb);
  IoFeed(handle->loop, &handle->io_watcher);
}

int uv_pipe_connect2(uv_connect_t* req, uv_pipe_t* handle, const char* name, size_t namelen, unsigned int flags,
                     uv_connect_cb cb) {
  if (namelen == 0) return UV_EINVAL;
  std::string peer;
  const int err = Name2(handle->loop, name, namelen, flags, &peer);
  if (err != 0) return err;
  Connect(req, handle, peer, cb);
  return 0;
}

int uv_pipe_getsockname(const uv_pipe_t* handle, char* buffer, size_t* size) {
  return Name(handle, buffer, size, false);
}

int uv_pipe_getpeername(const uv_pipe_t* handle, char* buffer, size_t* size) {
  return Name(handle, buffer, size, true);
}

// Permissions of a socket path mean nothing without a file for it; the mode is checked as libuv checks
// it, and a socket without a path (abstract or unbound) has nothing chmod could find.
int uv_pipe_chmod(uv_pipe_t* handle, int mode) {
  if (handle == nullptr || handle->io_watcher.fd == -1) return UV_EBADF;
  if (mode != UV_READABLE && mode != UV_WRITABLE && mode != (UV_READABLE | UV_WRITABLE)) return UV_EINVAL;
  loopsim::SockAddr addr;
  if (Socket(handle)->LocalAddress(&addr) < 0 || addr.path.empty() || addr.path[0] == '\0') return UV_ENOENT;
  return 0;
}

// A kernel pipe: fds[0] reads what fds[1] writes. Every descriptor of the simulated machine is
// non-blocking (nothing in the simulation blocks), so the UV_NONBLOCK_PIPE flags change nothing.
int uv_pipe(uv_file fds[2], int read_flags, int write_flags) {
  loopsim::PipePair pipe = loopsim::MakePipe();
  fds[0] = K().vfs().AddDescription(std::move(pipe.read));
  fds[1] = K().vfs().AddDescription(std::move(pipe.write));
  return 0;
}

// A connected pair of unix stream sockets (datagram pairs are not simulated).
int uv_socketpair(int type, int protocol, uv_os_sock_t fds[2], int flags0, int flags1) {
  if (type != SOCK_STREAM) Unsimulated("uv_socketpair (of datagram sockets)");
  if (protocol != 0) return UV_EPROTONOSUPPORT;
  std::shared_ptr<loopsim::StreamSocket> a, b;
  K().net().SocketPair(CurrentHost(), &a, &b);
  fds[0] = K().vfs().AddDescription(std::move(a));
  fds[1] = K().vfs().AddDescription(std::move(b));
  return 0;
}

// Only Windows keeps several instances of a pipe server; unix libuv ignores the count.
void uv_pipe_pending_instances(uv_pipe_t* handle, int count) {}

// A descriptor that came over an IPC pipe with the last read (ipc.cc), waiting for uv_accept.
int uv_pipe_pending_count(uv_pipe_t* handle) { return handle->ipc && handle->accepted_fd != -1 ? 1 : 0; }
uv_handle_type uv_pipe_pending_type(uv_pipe_t* handle) {
  if (uv_pipe_pending_count(handle) == 0) return UV_UNKNOWN_HANDLE;
  const uv_handle_type type = uv_guess_handle(handle->accepted_fd);
  return type == UV_FILE ? UV_UNKNOWN_HANDLE : type;
}

// A unix socket descriptor of the machine's as the pipe (a child process's stdio or IPC channel, which
// the child opens as node opens a pipe it inherits). Other descriptors are not simulated as pipes.
int uv_pipe_open(uv_pipe_t* handle, uv_file file) {
  if (handle->io_watcher.fd != -1) return UV_EEXIST;
  if (dynamic_cast<loopsim::StreamSocket*>(K().vfs().Description(file)) == nullptr) {
    if (!K().vfs().IsOpen(file)) return UV_EBADF;
    Unsimulated("uv_pipe_open (of a descriptor that is not a socket)");
  }
  return StreamOpen(reinterpret_cast<uv_stream_t*>(handle), file, kReadable | kWritable);
}

}  // extern "C"
