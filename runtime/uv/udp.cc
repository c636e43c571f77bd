// UDP handles on the virtual network, as libuv 1.44's src/unix/udp.c: an unbound handle is bound to the
// wildcard address on first send or receive; receiving reads up to 32 datagrams per wake-up; a send is
// tried at once when nothing is queued, and its callback runs from the pending phase (the watcher is
// fed), as libuv completes sends. Latency, loss, duplication and reordering are the virtual network's.
// Multicast membership, TTLs and broadcast are accepted and change nothing: the virtual network has no
// multicast groups.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/uv/internal.h"
#include "runtime/uv/process.h"

namespace loopsim::uv {

namespace {

UdpSocket* Socket(const uv_udp_t* h) { return dynamic_cast<UdpSocket*>(K().vfs().Description(h->io_watcher.fd)); }

uv_udp_t* FromWatcher(uv__io_t* w) {
  return reinterpret_cast<uv_udp_t*>(reinterpret_cast<char*>(w) - offsetof(uv_udp_t, io_watcher));
}

int EnsureSocket(uv_udp_t* h) {
  if (h->io_watcher.fd != -1) return 0;
  std::shared_ptr<UdpSocket> socket;
  const int err = K().net().NewUdpSocket(CurrentHost(), &socket);
  if (err < 0) return err;
  h->io_watcher.fd = K().vfs().AddDescription(std::move(socket));
  return 0;
}

// libuv binds an unbound handle to the wildcard address before its first send or receive.
int MaybeBind(uv_udp_t* h, bool v6) {
  int err = EnsureSocket(h);
  if (err < 0) return err;
  if (h->flags & kBound) return 0;
  err = Socket(h)->Bind(SockAddr{IpAddr::Any(!v6), 0, {}});
  if (err < 0) return err;
  h->flags |= kBound;
  if (v6) h->flags |= kIpv6;
  return 0;
}

std::string Gather(const uv_buf_t* bufs, unsigned n) {
  std::string data;
  for (unsigned i = 0; i < n; ++i) data.append(bufs[i].base, bufs[i].len);
  return data;
}

void RunCompleted(uv_udp_t* h) {
  for (uv_udp_send_t* req : TakeRequests<uv_udp_send_t>(h->write_completed_queue)) {
    ReqUnregister(h->loop, reinterpret_cast<uv_req_t*>(req));
    h->send_queue_size -= Gather(req->bufs, req->nbufs).size();
    --h->send_queue_count;
    if (req->bufs != req->bufsml) std::free(req->bufs);
    req->bufs = nullptr;
    TraceReq(h->loop, reinterpret_cast<uv_req_t*>(req), trace::event::kCallback, trace::kind::kUdpSend);
    if (req->send_cb != nullptr) {
      // The status is 0 or an error; the bytes sent stay libuv's own business (uv__udp_run_completed).
      req->send_cb(req, req->status >= 0 ? 0 : static_cast<int>(req->status));
      runtime::Runtime::Get().ChargeCallback();
    }
  }
  if (QueueEmpty(h->write_queue)) IoStop(h->loop, &h->io_watcher, POLLOUT);
}

// Sends what is queued; finished requests move to the completed queue and the watcher is fed.
void SendQueued(uv_udp_t* h) {
  while (!QueueEmpty(h->write_queue)) {
    void** q = QNext(h->write_queue);
    auto* req = QueueData<uv_udp_send_t>(q, offsetof(uv_udp_send_t, queue));
    SockAddr to;
    const bool has_to = req->addr.ss_family != AF_UNSPEC;
    if (has_to) FromSockaddr(reinterpret_cast<const sockaddr*>(&req->addr), &to);
    const std::string data = Gather(req->bufs, req->nbufs);
    const int64_t n = Socket(h)->SendTo(data.data(), data.size(), has_to ? &to : nullptr);
    if (n == -EAGAIN) return;
    req->status = n < 0 ? n : static_cast<ssize_t>(data.size());
    QueueRemove(q);
    QueueInsertTail(h->write_completed_queue, q);
    IoFeed(h->loop, &h->io_watcher);
  }
}

void Receive(uv_udp_t* h) {
  // As libuv's uv__udp_recvmsg, the callback may stop receiving or close the handle.
  for (int count = 32; count > 0 && h->io_watcher.fd != -1 && h->recv_cb != nullptr; --count) {
    uv_buf_t buf{};
    h->alloc_cb(reinterpret_cast<uv_handle_t*>(h), 64 * 1024, &buf);
    if (buf.base == nullptr || buf.len == 0) {
      h->recv_cb(h, UV_ENOBUFS, &buf, nullptr, 0);
      return;
    }
    SockAddr from;
    const int64_t full = Socket(h)->ReadableCount();
    const int64_t n = Socket(h)->RecvFrom(buf.base, buf.len, &from);
    if (n == -EAGAIN) {
      h->recv_cb(h, 0, &buf, nullptr, 0);
      return;
    }
    if (n < 0) {
      h->recv_cb(h, static_cast<ssize_t>(n), &buf, nullptr, 0);
      return;
    }
    sockaddr_storage addr;
    int len = 0;
    ToSockaddr(from, reinterpret_cast<sockaddr*>(&addr), &len, (h->flags & kIpv6) != 0);
    TraceHandle(reinterpret_cast<uv_handle_t*>(h), trace::event::kRecv, TraceFields().Int(trace::key::kCount, n));
    h->recv_cb(h, static_cast<ssize_t>(n), &buf, reinterpret_cast<const sockaddr*>(&addr),
               full > n ? UV_UDP_PARTIAL : 0);
    runtime::Runtime::Get().ChargeCallback();
  }
}

void UdpIo(uv_loop_t* loop, uv__io_t* w, unsigned events) {
  uv_udp_t* h = FromWatcher(w);
  if (events & POLLIN) Receive(h);
  if (h->io_watcher.fd == -1) return;
  if (events & POLLOUT) {
    SendQueued(h);
    RunCompleted(h);
  }
}

}  // namespace

void UdpClose(uv_udp_t* h) {
  IoClose(h->loop, &h->io_watcher);
  HandleStop(reinterpret_cast<uv_handle_t*>(h));
  if (h->io_watcher.fd != -1) {
    K().vfs().Close(h->io_watcher.fd);
    h->io_watcher.fd = -1;
  }
}

void UdpFinishClose(uv_udp_t* h) {
  // As libuv's uv__udp_finish_close: in the closing phase, before the close callback, sends still queued
  // are cancelled and every send's callback runs (completed ones with their own status). Never from
  // inside uv_close, which would call back into the program in the middle of its own call.
  while (!QueueEmpty(h->write_queue)) {
    void** q = QNext(h->write_queue);
    QueueRemove(q);
    QueueData<uv_udp_send_t>(q, offsetof(uv_udp_send_t, queue))->status = UV_ECANCELED;
    QueueInsertTail(h->write_completed_queue, q);
  }
  RunCompleted(h);
  h->recv_cb = nullptr;
  h->alloc_cb = nullptr;
}

}  // namespace loopsim::uv

using namespace loopsim::uv;

extern "C" {

int uv_udp_init_ex(uv_loop_t* loop, uv_udp_t* handle, unsigned int flags) {
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(handle), UV_UDP);
  handle->alloc_cb = nullptr;
  handle->recv_cb = nullptr;
  handle->send_queue_size = 0;
  handle->send_queue_count = 0;
  IoInit(&handle->io_watcher, UdpIo, -1);
  QueueInit(handle->write_queue);
  QueueInit(handle->write_completed_queue);
  return 0;
}

int uv_udp_init(uv_loop_t* loop, uv_udp_t* handle) { return uv_udp_init_ex(loop, handle, AF_UNSPEC); }

int uv_udp_open(uv_udp_t* handle, uv_os_sock_t sock) { Unsimulated("uv_udp_open"); }
int uv_udp_open_ex(uv_udp_t* handle, uv_os_sock_t sock, unsigned int flags) { Unsimulated("uv_udp_open_ex"); }

int uv_udp_bind(uv_udp_t* handle, const struct sockaddr* addr, unsigned int flags) {
  const bool reuse_port_known = Follows(Change::kReusePortFlags);
  const unsigned known =
      UV_UDP_IPV6ONLY | UV_UDP_REUSEADDR | UV_UDP_LINUX_RECVERR | (reuse_port_known ? UV_UDP_REUSEPORT : 0);
  if (flags & ~known) return UV_EINVAL;
  if ((flags & UV_UDP_IPV6ONLY) && addr->sa_family != AF_INET6) return UV_EINVAL;
  const bool reuse_port = (flags & UV_UDP_REUSEPORT) != 0;
  if (reuse_port && !State(handle->loop).backend->SharesPortsWithReusePort()) return UV_ENOTSUP;
  loopsim::SockAddr a;
  if (!FromSockaddr(addr, &a)) return UV_EINVAL;
  int err = EnsureSocket(handle);
  if (err < 0) return err;
  if (flags & UV_UDP_IPV6ONLY) Socket(handle)->set_v6only(true);
  err = Socket(handle)->Bind(a);
  if (err == UV_EADDRINUSE && reuse_port) Unsimulated("uv_udp_bind (sharing a port with UV_UDP_REUSEPORT)");
  if (err < 0) return err;
  handle->flags |= kBound;
  if (addr->sa_family == AF_INET6) handle->flags |= kIpv6;
  return 0;
}

int uv_udp_connect(uv_udp_t* handle, const struct sockaddr* addr) {
  if (addr == nullptr || addr->sa_family == AF_UNSPEC) {
    // Disconnecting is not modelled by the virtual network: a connected handle stays connected.
    return UV_ENOTSUP;
  }
  loopsim::SockAddr a;
  if (!FromSockaddr(addr, &a)) return UV_EINVAL;
  int err = MaybeBind(handle, addr->sa_family == AF_INET6);
  if (err < 0) return err;
  return Socket(handle)->Connect(a);
}

int uv_udp_getpeername(const uv_udp_t* handle, struct sockaddr* name, int* namelen) { return UV_ENOTCONN; }

int uv_udp_getsockname(const uv_udp_t* handle, struct sockaddr* name, int* namelen) {
  loopsim::UdpSocket* socket = Socket(handle);
  if (socket == nullptr) return UV_EBADF;
  loopsim::SockAddr addr;
  const int err = socket->LocalAddress(&addr);
  if (err < 0) return err;
  CopySockaddr(addr, (handle->flags & kIpv6) != 0, name, namelen);
  return 0;
}

int uv_udp_set_membership(uv_udp_t*, const char*, const char*, uv_membership) { return 0; }
int uv_udp_set_source_membership(uv_udp_t*, const char*, const char*, const char*, uv_membership) { return 0; }
int uv_udp_set_multicast_loop(uv_udp_t*, int) { return 0; }
int uv_udp_set_multicast_ttl(uv_udp_t*, int ttl) { return ttl < 0 || ttl > 255 ? UV_EINVAL : 0; }
int uv_udp_set_multicast_interface(uv_udp_t*, const char*) { return 0; }
int uv_udp_set_broadcast(uv_udp_t*, int) { return 0; }
int uv_udp_set_ttl(uv_udp_t*, int ttl) { return ttl < 1 || ttl > 255 ? UV_EINVAL : 0; }

int uv_udp_send(uv_udp_send_t* req, uv_udp_t* handle, const uv_buf_t bufs[], unsigned int nbufs,
                const struct sockaddr* addr, uv_udp_send_cb send_cb) {
  int err = MaybeBind(handle, addr != nullptr && addr->sa_family == AF_INET6);
  if (err < 0) return err;
  const bool empty_queue = handle->send_queue_count == 0;
  ReqInit(handle->loop, reinterpret_cast<uv_req_t*>(req), UV_UDP_SEND);
  req->handle = handle;
  req->send_cb = send_cb;
  req->cb = send_cb;
  std::memset(&req->addr, 0, sizeof(req->addr));
  if (addr != nullptr) {
    std::memcpy(&req->addr, addr, addr->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in));
  }
  req->nbufs = nbufs;
  req->bufs = nbufs <= 4 ? req->bufsml : static_cast<uv_buf_t*>(std::malloc(sizeof(uv_buf_t) * nbufs));
  std::memcpy(req->bufs, bufs, sizeof(uv_buf_t) * nbufs);
  handle->send_queue_size += Gather(bufs, nbufs).size();
  ++handle->send_queue_count;
  QueueInsertTail(handle->write_queue, req->queue);
  TraceReq(handle->loop, reinterpret_cast<uv_req_t*>(req), trace::event::kSubmit, trace::kind::kUdpSend);
  HandleStart(reinterpret_cast<uv_handle_t*>(handle));
  if (empty_queue) {
    SendQueued(handle);
    if (!QueueEmpty(handle->write_queue)) IoStart(handle->loop, &handle->io_watcher, POLLOUT);
  } else {
    IoStart(handle->loop, &handle->io_watcher, POLLOUT);
  }
  return 0;
}

// One datagram sent at once: its byte count, or the error.
static int TrySendOne(uv_udp_t* handle, const uv_buf_t bufs[], unsigned int nbufs, const struct sockaddr* addr) {
  loopsim::SockAddr to;
  if (addr != nullptr && !FromSockaddr(addr, &to)) return UV_EINVAL;
  const std::string data = Gather(bufs, nbufs);
  const int64_t n = Socket(handle)->SendTo(data.data(), data.size(), addr != nullptr ? &to : nullptr);
  return n < 0 ? static_cast<int>(n) : static_cast<int>(data.size());
}

int uv_udp_try_send(uv_udp_t* handle, const uv_buf_t bufs[], unsigned int nbufs, const struct sockaddr* addr) {
  if (nbufs < 1) return UV_EINVAL;
  if (handle->send_queue_count != 0) return UV_EAGAIN;
  int err = MaybeBind(handle, addr != nullptr && addr->sa_family == AF_INET6);
  if (err < 0) return err;
  return TrySendOne(handle, bufs, nbufs, addr);
}

// libuv >= 1.50: `count` datagrams at once (sendmmsg); the number sent, or the error of the first when
// none was. It needs a socket already (libuv sends on the handle's descriptor as it is).
int uv_udp_try_send2(uv_udp_t* handle, unsigned int count, uv_buf_t* bufs[], unsigned int nbufs[],
                     struct sockaddr* addrs[], unsigned int flags) {
  if (count < 1 || flags != 0) return UV_EINVAL;
  if (handle->send_queue_count > 0) return UV_EAGAIN;
  if (handle->io_watcher.fd == -1) return UV_EINVAL;
  int sent = 0;
  for (unsigned int i = 0; i < count; ++i) {
    const int r = TrySendOne(handle, bufs[i], nbufs[i], addrs[i]);
    if (r < 0) return sent > 0 ? sent : r;
    ++sent;
  }
  return sent;
}

// recvmmsg batches datagrams into one buffer; the simulation hands each datagram its own buffer, as
// libuv does without UV_UDP_RECVMMSG, and says so.
int uv_udp_using_recvmmsg(const uv_udp_t* handle) { return 0; }

int uv_udp_recv_start(uv_udp_t* handle, uv_alloc_cb alloc_cb, uv_udp_recv_cb recv_cb) {
  if (alloc_cb == nullptr || recv_cb == nullptr) return UV_EINVAL;
  if (IsActive(reinterpret_cast<uv_handle_t*>(handle)) && handle->recv_cb != nullptr) return UV_EALREADY;
  int err = MaybeBind(handle, false);
  if (err < 0) return err;
  handle->alloc_cb = alloc_cb;
  handle->recv_cb = recv_cb;
  IoStart(handle->loop, &handle->io_watcher, POLLIN);
  HandleStart(reinterpret_cast<uv_handle_t*>(handle));
  return 0;
}

int uv_udp_recv_stop(uv_udp_t* handle) {
  IoStop(handle->loop, &handle->io_watcher, POLLIN);
  if (handle->send_queue_count == 0) HandleStop(reinterpret_cast<uv_handle_t*>(handle));
  handle->alloc_cb = nullptr;
  handle->recv_cb = nullptr;
  return 0;
}

size_t uv_udp_get_send_queue_size(const uv_udp_t* handle) { return handle->send_queue_size; }
size_t uv_udp_get_send_queue_count(const uv_udp_t* handle) { return handle->send_queue_count; }

// Socket buffer sizes: the virtual network's, reported and (for a non-zero value) accepted as set.
int uv_recv_buffer_size(uv_handle_t* handle, int* value) {
  if (*value == 0) *value = static_cast<int>(K().net().options().recv_buffer);
  return 0;
}
int uv_send_buffer_size(uv_handle_t* handle, int* value) {
  if (*value == 0) *value = static_cast<int>(K().net().options().send_buffer);
  return 0;
}

}  // extern "C"
