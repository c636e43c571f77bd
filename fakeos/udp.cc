// See net.h: UDP sockets. Each datagram travels on its own: between hosts its latency is chosen
// independently (so a later datagram may arrive first), and within one host it is in the receiver's
// queue when sendto() returns, as on Linux's loopback. It may be lost or duplicated at the configured
// ratios, it is lost if the link is partitioned or nobody is bound at the destination, and it is dropped
// when the receiver's queue is full, as on Linux.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "fakeos/base/check.h"
#include "fakeos/kernel.h"
#include "fakeos/net.h"

namespace loopsim {

UdpSocket::UdpSocket(Network& net, HostId host) : net_(net), host_(host) {}

UdpSocket::~UdpSocket() { std::erase(net_.udp_sockets_, this); }

uint32_t UdpSocket::Poll() const { return kPollOut | (queue_.empty() ? 0 : kPollIn); }

int64_t UdpSocket::ReadableCount() const {
  return queue_.empty() ? 0 : static_cast<int64_t>(queue_.front().data.size());
}

int64_t UdpSocket::WritableCount() const { return net_.options_.udp_recv_buffer; }

int64_t UdpSocket::Read(void* buf, size_t len) {
  SockAddr from;
  return RecvFrom(buf, len, &from);
}

int64_t UdpSocket::Write(const void* buf, size_t len) {
  if (!connected_) return -EDESTADDRREQ;
  return SendTo(buf, len, nullptr);
}

int UdpSocket::Bind(const SockAddr& addr) {
  if (bound_) return -EINVAL;
  if (addr.is_unix()) return -EINVAL;
  if (!addr.ip.IsAny() && !net_.OwnsAddress(host_, addr.ip)) return -EADDRNOTAVAIL;
  const uint16_t port = addr.port != 0 ? addr.port : net_.EphemeralPort(host_);
  if (port == 0 || net_.PortInUse(host_, true, addr.ip, port, v6only_)) return -EADDRINUSE;
  local_ = SockAddr{addr.ip, port, {}};
  bound_ = true;
  return 0;
}

int UdpSocket::Connect(const SockAddr& addr) {
  if (addr.is_unix()) return -EINVAL;
  if (!bound_) {
    const int r = Bind(SockAddr{IpAddr::Any(addr.ip.v4), 0, {}});
    if (r < 0) return r;
  }
  connected_ = true;
  peer_ = addr;
  return 0;
}

int64_t UdpSocket::SendTo(const void* buf, size_t len, const SockAddr* to) {
  if (to == nullptr && !connected_) return -EDESTADDRREQ;
  const SockAddr dest = to != nullptr ? *to : peer_;
  if (dest.is_unix()) return -EINVAL;
  if (len > 65507) return -EMSGSIZE;
  if (!bound_) {
    const int r = Bind(SockAddr{IpAddr::Any(dest.ip.v4), 0, {}});
    if (r < 0) return r;
  }
  const int route = net_.RouteTo(host_, dest.ip);
  if (route < 0) return static_cast<int64_t>(len);  // sent into the void, as UDP does
  const HostId to_host = static_cast<HostId>(route);
  SockAddr from = local_;
  if (from.ip.IsAny()) from.ip = net_.SourceAddress(host_, dest.ip);
  if (net_.Chance(net_.options_.udp_loss)) return static_cast<int64_t>(len);
  const int copies = net_.Chance(net_.options_.udp_duplicate) ? 2 : 1;
  std::string data(static_cast<const char*>(buf), len);
  const Nanos now = net_.kernel_.clock().Now();
  auto deliver = [net = &net_, to_host, dest, from, data, src = host_] {
    if (net->Partitioned(src, to_host)) return;
    // Whoever is bound at the destination when the datagram arrives gets it; exact address first.
    UdpSocket* target = nullptr;
    for (UdpSocket* s : net->udp_sockets_) {
      if (s->host_ != to_host || !s->bound_ || s->local_.port != dest.port) continue;
      if (s->connected_ && s->peer_ != from) continue;
      if (s->local_.ip == dest.ip) {
        target = s;
        break;
      }
      const bool wildcard =
          s->local_.ip.IsAny() && (s->local_.ip.v4 == dest.ip.v4 || (!s->local_.ip.v4 && !s->v6only_));
      if (wildcard && target == nullptr) target = s;
    }
    if (target != nullptr) target->Arrive(from, data);
  };
  for (int i = 0; i < copies; ++i) {
    if (to_host == host_) {
      deliver();  // within one host the datagram is in the receiver's queue when sendto() returns, as on Linux
      continue;
    }
    net_.kernel_.At(now + net_.Latency(host_, to_host), deliver);
  }
  return static_cast<int64_t>(len);
}

void UdpSocket::Arrive(const SockAddr& from, std::string data) {
  if (queued_bytes_ + static_cast<int64_t>(data.size()) > net_.options_.udp_recv_buffer) return;
  queued_bytes_ += static_cast<int64_t>(data.size());
  queue_.push_back(Datagram{from, std::move(data)});
  Wake(kPollIn);
}

int64_t UdpSocket::RecvFrom(void* buf, size_t len, SockAddr* from) {
  if (queue_.empty()) return -EAGAIN;
  Datagram d = std::move(queue_.front());
  queue_.pop_front();
  queued_bytes_ -= static_cast<int64_t>(d.data.size());
  const size_t n = std::min(len, d.data.size());
  std::memcpy(buf, d.data.data(), n);
  *from = d.from;
  return static_cast<int64_t>(n);
}

int UdpSocket::LocalAddress(SockAddr* out) const {
  *out = local_;
  return 0;
}

}  // namespace loopsim
