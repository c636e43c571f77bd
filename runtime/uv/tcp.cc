// TCP handles on the virtual network, as libuv 1.44's src/unix/tcp.c: the socket is created lazily by
// bind or connect; EADDRINUSE from bind and ECONNREFUSED found at connect time are kept as the stream's
// delayed error and reported by listen, or by the connect callback from the pending phase.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "runtime/uv/internal.h"
#include "runtime/uv/process.h"

namespace loopsim::uv {

namespace {

// An address of `family` (its in_addr or in6_addr) and a port in network byte order, as the network's.
bool FromInet(int family, const void* ip, uint16_t port_be, SockAddr* out) {
  char text[INET6_ADDRSTRLEN];
  inet_ntop(family, ip, text, sizeof(text));
  if (!IpAddr::Parse(text, &out->ip)) return false;
  out->port = ntohs(port_be);
  return true;
}

}  // namespace

bool FromSockaddr(const sockaddr* addr, SockAddr* out) {
  if (addr == nullptr) return false;
  if (addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    return FromInet(AF_INET, &in->sin_addr, in->sin_port, out);
  }
  if (addr->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
    return FromInet(AF_INET6, &in6->sin6_addr, in6->sin6_port, out);
  }
  return false;
}

void ToSockaddr(const SockAddr& a, sockaddr* out, int* len, bool want_v6) {
  const std::string text = a.ip.ToString();
  if (a.ip.v4 && !want_v6) {
    auto* in = reinterpret_cast<sockaddr_in*>(out);
    std::memset(in, 0, sizeof(*in));
    in->sin_family = AF_INET;
    in->sin_port = htons(a.port);
    inet_pton(AF_INET, text.c_str(), &in->sin_addr);
    *len = sizeof(*in);
    return;
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(out);
  std::memset(in6, 0, sizeof(*in6));
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(a.port);
  inet_pton(AF_INET6, a.ip.v4 ? ("::ffff:" + text).c_str() : text.c_str(), &in6->sin6_addr);
  *len = sizeof(*in6);
}

void CopySockaddr(const SockAddr& a, bool want_v6, sockaddr* name, int* namelen) {
  sockaddr_storage storage;
  int len = 0;
  ToSockaddr(a, reinterpret_cast<sockaddr*>(&storage), &len, want_v6);
  std::memcpy(name, &storage, static_cast<size_t>(std::min(len, *namelen)));
  *namelen = len;
}

namespace {

StreamSocket* Socket(const uv_tcp_t* tcp) {
  return dynamic_cast<StreamSocket*>(K().vfs().Description(tcp->io_watcher.fd));
}

// Creates the socket on first use (libuv's maybe_new_socket).
int EnsureSocket(uv_tcp_t* tcp, unsigned flags) {
  if (tcp->io_watcher.fd != -1) {
    tcp->flags |= flags;
    return 0;
  }
  std::shared_ptr<StreamSocket> socket;
  const int err = K().net().NewStreamSocket(CurrentHost(), false, &socket);
  if (err < 0) return err;
  const int fd = K().vfs().AddDescription(std::move(socket));
  return StreamOpen(reinterpret_cast<uv_stream_t*>(tcp), fd, flags);
}

int Name(const uv_tcp_t* handle, sockaddr* name, int* namelen, bool peer) {
  if (handle->delayed_error != 0) return handle->delayed_error;
  StreamSocket* socket = Socket(handle);
  if (socket == nullptr) return UV_EBADF;
  SockAddr addr;
  const int err = peer ? socket->PeerAddress(&addr) : socket->LocalAddress(&addr);
  if (err < 0) return err;
  CopySockaddr(addr, (handle->flags & kIpv6) != 0, name, namelen);
  return 0;
}

}  // namespace

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_tcp_init(uv_loop_t* loop, uv_tcp_t* tcp) {
  StreamInit(loop, reinterpret_cast<uv_stream_t*>(tcp), UV_TCP);
  return 0;
}

int uv_tcp_bind(uv_tcp_t* tcp, const struct sockaddr* addr, unsigned int flags) {
  if ((flags & UV_TCP_IPV6ONLY) && addr->sa_family != AF_INET6) return UV_EINVAL;
  loopsim::SockAddr a;
  if (!FromSockaddr(addr, &a)) return UV_EINVAL;
  int err = EnsureSocket(tcp, kReadable | kWritable);
  if (err < 0) return err;
  loopsim::StreamSocket* socket = Socket(tcp);
  if (flags & UV_TCP_IPV6ONLY) socket->set_v6only(true);
  // UV_TCP_REUSEPORT means something from libuv 1.49, where only Linux shares a port that way.
  const bool reuse_port = (flags & UV_TCP_REUSEPORT) && Follows(Change::kReusePortFlags);
  if (reuse_port && !State(tcp->loop).backend->SharesPortsWithReusePort()) return UV_ENOTSUP;
  err = socket->Bind(a);
  if (err == UV_EADDRINUSE && reuse_port) Unsimulated("uv_tcp_bind (sharing a port with UV_TCP_REUSEPORT)");
  if (err == UV_EADDRINUSE) {
    tcp->delayed_error = err;
  } else if (err < 0) {
    return err;
  }
  tcp->flags |= kBound;
  if (addr->sa_family == AF_INET6) tcp->flags |= kIpv6;
  return 0;
}

int uv_tcp_connect(uv_connect_t* req, uv_tcp_t* handle, const struct sockaddr* addr, uv_connect_cb cb) {
  if (handle->connect_req != nullptr) return UV_EALREADY;
  if (handle->delayed_error == 0) {
    loopsim::SockAddr a;
    if (!FromSockaddr(addr, &a)) return UV_EINVAL;
    int err = EnsureSocket(handle, kReadable | kWritable);
    if (err < 0) return err;
    if (addr->sa_family == AF_INET6) handle->flags |= kIpv6;
    err = Socket(handle)->Connect(a);
    if (err == UV_ECONNREFUSED) {
      handle->delayed_error = err;
    } else if (err < 0 && err != -EINPROGRESS) {
      return err;
    }
  }
  StartConnectRequest(reinterpret_cast<uv_stream_t*>(handle), req, cb);
  IoStart(handle->loop, &handle->io_watcher, POLLOUT);
  Backend& backend = *State(handle->loop).backend;
  if (handle->delayed_error != 0) {
    IoFeed(handle->loop, &handle->io_watcher);
  } else if (backend.IssuesInTheCall()) {
    // Windows libuv issues ConnectEx here (src/win/tcp.c, uv__tcp_try_connect); a TCP socket skips the
    // completion port when it succeeds at once.
    Backend::IssueOptions options;
    options.skip_port = true;
    const unsigned completed = backend.Issue(handle->io_watcher.fd, K().vfs().Description(handle->io_watcher.fd),
                                             handle->io_watcher.pevents, options);
    handle->io_watcher.events = handle->io_watcher.pevents;  // what the backend knows, as after a flush
    if (completed != 0) IoFeed(handle->loop, &handle->io_watcher);
  }
  return 0;
}

int uv_tcp_getsockname(const uv_tcp_t* handle, struct sockaddr* name, int* namelen) {
  return Name(handle, name, namelen, false);
}

int uv_tcp_getpeername(const uv_tcp_t* handle, struct sockaddr* name, int* namelen) {
  return Name(handle, name, namelen, true);
}

// Nagle changes nothing the simulation models: segmentation is the seed's either way.
int uv_tcp_nodelay(uv_tcp_t* handle, int enable) { return 0; }

// Keep-alive probes change nothing the simulation models (an idle virtual connection never dies), but
// the arguments are refused as on Linux: libuv sets SO_KEEPALIVE, then TCP_KEEPIDLE and TCP_KEEPINTVL
// (1..32767 s) and TCP_KEEPCNT (1..127); a zero idle time is refused by the kernel, and by libuv itself
// from 1.48 (version.h). Without a socket yet nothing is checked: libuv keeps only the on/off flag.
int uv_tcp_keepalive_ex(uv_tcp_t* handle, int on, unsigned int idle, unsigned int intvl, unsigned int cnt) {
  if (handle->io_watcher.fd == -1 || !on) return 0;
  if (idle == 0 && Follows(Change::kKeepaliveZeroDelayRefusedByLibuv) &&
      !Follows(Change::kKeepaliveZeroDelayIsEinval)) {
    return -1;  // 1.48 returned a bare -1, which is UV_EPERM
  }
  if (idle < 1 || intvl < 1 || cnt < 1) return UV_EINVAL;
  if (idle > 32767 || intvl > 32767 || cnt > 127) return UV_EINVAL;
  return 0;
}

// libuv's: 1 s between probes, 10 probes (the same as Windows' fixed ones).
int uv_tcp_keepalive(uv_tcp_t* handle, int enable, unsigned int delay) {
  return uv_tcp_keepalive_ex(handle, enable, delay, 1, 10);
}

// Only Windows libuv posts several accepts at once; unix ignores the setting.
int uv_tcp_simultaneous_accepts(uv_tcp_t* handle, int enable) { return 0; }

// The low 8 bits name the socket's family, created at once unless AF_UNSPEC; no other flag exists.
int uv_tcp_init_ex(uv_loop_t* loop, uv_tcp_t* tcp, unsigned int flags) {
  const unsigned domain = flags & 0xFF;
  if (domain != AF_INET && domain != AF_INET6 && domain != AF_UNSPEC) return UV_EINVAL;
  if (flags & ~0xFFu) return UV_EINVAL;
  uv_tcp_init(loop, tcp);
  if (domain == AF_UNSPEC) return 0;
  const int err = EnsureSocket(tcp, 0);
  if (err < 0) {
    QueueRemove(tcp->handle_queue);
    return err;
  }
  if (domain == AF_INET6) tcp->flags |= kIpv6;
  return 0;
}

int uv_tcp_close_reset(uv_tcp_t* handle, uv_close_cb close_cb) {
  if (handle->flags & kShutting) return UV_EINVAL;
  if (loopsim::StreamSocket* socket = Socket(handle)) socket->Reset();
  uv_close(reinterpret_cast<uv_handle_t*>(handle), close_cb);
  return 0;
}

int uv_tcp_open(uv_tcp_t* handle, uv_os_sock_t sock) { Unsimulated("uv_tcp_open"); }

}  // extern "C"
