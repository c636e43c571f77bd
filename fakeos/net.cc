// See net.h. Hosts, routing, latency and partitions; the stream sockets are in stream.cc, the datagram
// sockets in udp.cc.
#include "fakeos/net.h"

#include <algorithm>
#include <cerrno>

#include "fakeos/base/check.h"
#include "fakeos/kernel.h"

namespace loopsim {

Network::Network(Kernel& kernel, Options options) : kernel_(kernel), options_(std::move(options)) {
  LS_CHECK(options_.jitter_steps >= 1 && options_.coalesce_steps >= 1 && options_.mss >= 1);
  hosts_.push_back(Host{"local", {}, 32768});
}

HostId Network::AddHost(std::string_view name, std::vector<IpAddr> addresses) {
  for (const IpAddr& a : addresses) {
    LS_CHECK_MSG(RouteTo(kLocalHost, a) < 0 || a.IsLoopback(), "address already taken");
    dns_.Add(name, a);
  }
  hosts_.push_back(Host{std::string(name), std::move(addresses), 32768});
  return static_cast<HostId>(hosts_.size() - 1);
}

void Network::AddLocalAddress(const IpAddr& addr) { hosts_[kLocalHost].addresses.push_back(addr); }

int Network::FindHost(std::string_view name) const {
  for (size_t h = 1; h < hosts_.size(); ++h) {
    if (hosts_[h].name == name) return static_cast<int>(h);
  }
  return -1;
}

void Network::Partition(HostId a, HostId b) {
  if (a != b) partitions_[{std::min(a, b), std::max(a, b)}] = true;
}

void Network::Heal(HostId a, HostId b) { partitions_.erase({std::min(a, b), std::max(a, b)}); }

void Network::HealAll() { partitions_.clear(); }

bool Network::Partitioned(HostId a, HostId b) const {
  return a != b && partitions_.count({std::min(a, b), std::max(a, b)}) != 0;
}

bool Network::OwnsAddress(HostId host, const IpAddr& ip) const {
  if (ip.IsLoopback()) return true;
  const std::vector<IpAddr>& own = hosts_[host].addresses;
  return std::find(own.begin(), own.end(), ip) != own.end();
}

int Network::RouteTo(HostId from, const IpAddr& to) const {
  if (to.IsLoopback()) return static_cast<int>(from);
  for (size_t h = 0; h < hosts_.size(); ++h) {
    if (OwnsAddress(static_cast<HostId>(h), to)) return static_cast<int>(h);
  }
  return -1;
}

IpAddr Network::SourceAddress(HostId from, const IpAddr& to) const {
  if (to.IsLoopback()) return to.v4 ? IpAddr::Loopback(true) : to;
  for (const IpAddr& a : hosts_[from].addresses) {
    if (a.v4 == to.v4) return a;
  }
  return IpAddr::Loopback(to.v4);
}

// Between hosts a packet takes the link's latency plus chosen jitter, and may meet latency-spike and
// partition faults. Within one host the callers hand packets over inside the sending call (net.h).
Nanos Network::Latency(HostId from, HostId to) {
  LS_CHECK_MSG(from != to, "a packet within one host does not travel");
  Nanos d = options_.link_latency;
  d += Nanos{options_.jitter_step.ns *
             static_cast<int64_t>(kernel_.chooser().Choose(Site::kNetDelay, options_.jitter_steps))};
  if (options_.faults != nullptr) {
    // The program's own host never crashes: it is the machine loopsim runs the program on.
    switch (options_.faults->Check(FaultSite::kNetTransmit, from == kLocalHost ? FaultKind::kCrash : FaultKind::kNone)) {
      case FaultKind::kLatencySpike:
        d += options_.faults->profile().latency_spike;
        break;
      case FaultKind::kPartition:
        CutForAWhile(from, to);
        break;
      case FaultKind::kIsolate:
        for (HostId h = 0; h < hosts_.size(); ++h) CutForAWhile(from, h);
        break;
      case FaultKind::kCrash:
        // The packet that was leaving is lost with the host's other state; the crash happens as the
        // kernel's next event, not inside the send that found it.
        kernel_.At(kernel_.clock().Now(), [this, from] { CrashHost(from); });
        break;
      default:
        break;
    }
  }
  return d;
}

void Network::CutForAWhile(HostId from, HostId to) {
  if (from == to || Partitioned(from, to)) return;
  Partition(from, to);
  kernel_.At(kernel_.clock().Now() + options_.faults->profile().partition, [this, from, to] { Heal(from, to); });
}

uint16_t Network::EphemeralPort(HostId host) {
  Host& h = hosts_[host];
  for (int tries = 0; tries < 28232; ++tries) {
    const uint16_t port = h.next_port;
    h.next_port = port == 60999 ? 32768 : static_cast<uint16_t>(port + 1);
    if (!PortInUse(host, false, IpAddr::Any(false), port, false) &&
        !PortInUse(host, true, IpAddr::Any(false), port, false)) {
      return port;
    }
  }
  return 0;
}

bool Network::Chance(const Ratio& r) {
  if (r.num == 0) return false;
  return kernel_.chooser().Choose(Site::kNetDelay, r.den) >= r.den - r.num;
}

int Network::NewUdpSocket(HostId host, std::shared_ptr<UdpSocket>* out) {
  LS_CHECK(host < hosts_.size());
  if (options_.faults != nullptr && options_.faults->Check(FaultSite::kNetSocket) == FaultKind::kMfile) return -EMFILE;
  out->reset(new UdpSocket(*this, host));
  udp_sockets_.push_back(out->get());
  return 0;
}

}  // namespace loopsim
