// See net.h: TCP and unix stream sockets. A connection is two endpoints, each with its receive buffer,
// its send queue (bytes accepted by Write, not yet on the wire) and its wire toward the other end: the
// segments in flight, in order of arrival. Endpoints belong to the network, not to the descriptors,
// because a closed socket still has work to finish (its queued bytes and FIN, or an RST) and a
// connection exists before anyone accepts it.
//
// Within one host a send delivers at once (Push calls Deliver), so the peer's side of the kernel runs
// inside the sender's call and its watchers are told there. A watcher may act on the peer at once (read
// the bytes and so reopen the window), which can come back to the sender: Transmit leaves a nested
// call's work to the outer one, which re-reads the state each round.
//
// Simplifications, on purpose: acknowledgements are instantaneous (bytes stop counting against the
// sender's buffer when they reach the receiver) and window updates too (a read lets a blocked sender
// transmit again at once); the receive window is the whole free receive buffer; there is no TIME_WAIT.
#include <algorithm>
#include <cerrno>
#include <cstring>

#include "fakeos/base/check.h"
#include "fakeos/kernel.h"
#include "fakeos/net.h"

namespace loopsim {

namespace {
constexpr uint32_t kAllBits = kPollIn | kPollOut | kPollRdHup | kPollHup | kPollErr;
}  // namespace

struct Network::Segment {
  enum Kind : uint8_t { kData, kFin, kRst, kSynAck } kind = kData;
  std::string data;
  Nanos sent;
};

struct Network::Endpoint {
  enum class State : uint8_t { kFresh, kBound, kListening, kConnecting, kConnected, kDead };
  uint64_t id = 0;
  HostId host = 0;
  bool unix_domain = false;
  bool v6only = false;
  State state = State::kFresh;
  StreamSocket* socket = nullptr;  // the program's description: null before accept and after close
  bool closed = false;             // the program closed it; what is left is finishing its FIN or RST
  bool holds_port = false;
  SockAddr local, remote;
  // A listener's queue of established connections nobody accepted yet.
  int backlog = 0;
  std::deque<uint64_t> accept_queue;
  // A connection.
  uint64_t peer = 0;
  std::string recv;
  bool fin_received = false;
  std::string send_queue;
  int64_t in_flight = 0;
  bool shut_write = false;
  bool fin_sent = false;
  int error = 0;                // pending error, reported once
  std::deque<Segment> wire;     // toward the peer, oldest first
  Nanos last_arrival;           // arrival instant of the newest segment on the wire
  bool transmit_scheduled = false;
  bool transmitting = false;  // inside Transmit: a nested call leaves the work to it
};

Network::~Network() = default;

Network::Endpoint& Network::Ep(uint64_t id) {
  auto it = endpoints_.find(id);
  LS_CHECK(it != endpoints_.end());
  return *it->second;
}

uint64_t Network::NewEndpoint(HostId host, bool unix_domain) {
  auto ep = std::make_shared<Endpoint>();
  ep->id = next_endpoint_++;
  ep->host = host;
  ep->unix_domain = unix_domain;
  endpoints_.emplace(ep->id, ep);
  return ep->id;
}

int Network::NewStreamSocket(HostId host, bool unix_domain, std::shared_ptr<StreamSocket>* out) {
  LS_CHECK(host < hosts_.size());
  if (options_.faults != nullptr && options_.faults->Check(FaultSite::kNetSocket) == FaultKind::kMfile) return -EMFILE;
  const uint64_t id = NewEndpoint(host, unix_domain);
  out->reset(new StreamSocket(*this, id));
  Ep(id).socket = out->get();
  return 0;
}

void Network::SocketPair(HostId host, std::shared_ptr<StreamSocket>* a, std::shared_ptr<StreamSocket>* b) {
  const uint64_t ia = NewEndpoint(host, true), ib = NewEndpoint(host, true);
  Endpoint &ea = Ep(ia), &eb = Ep(ib);
  ea.state = eb.state = Endpoint::State::kConnected;
  ea.peer = ib;
  eb.peer = ia;
  a->reset(new StreamSocket(*this, ia));
  b->reset(new StreamSocket(*this, ib));
  ea.socket = a->get();
  eb.socket = b->get();
}

namespace {
bool Overlaps(const IpAddr& a, bool a_v6only, const IpAddr& b, bool b_v6only) {
  if (a == b) return true;
  auto covers = [](const IpAddr& any, bool v6only, const IpAddr& other) {
    return any.IsAny() && (any.v4 == other.v4 || (!any.v4 && !v6only));
  };
  return covers(a, a_v6only, b) || covers(b, b_v6only, a);
}
}  // namespace

bool Network::PortInUse(HostId host, bool udp, const IpAddr& ip, uint16_t port, bool v6only) const {
  if (udp) {
    for (const UdpSocket* s : udp_sockets_) {
      if (s->host_ == host && s->bound_ && s->local_.port == port && Overlaps(s->local_.ip, s->v6only_, ip, v6only))
        return true;
    }
    return false;
  }
  for (const auto& [id, e] : endpoints_) {
    if (e->host != host || !e->holds_port || e->unix_domain || e->local.port != port) continue;
    if (e->state == Endpoint::State::kDead) continue;
    if (Overlaps(e->local.ip, e->v6only, ip, v6only)) return true;
  }
  return false;
}

Network::Endpoint* Network::FindListener(HostId host, const SockAddr& to) {
  Endpoint* wildcard = nullptr;
  for (auto& [id, e] : endpoints_) {
    if (e->state != Endpoint::State::kListening || e->unix_domain || e->host != host || e->local.port != to.port) continue;
    if (e->local.ip == to.ip) return e.get();
    if (wildcard == nullptr && Overlaps(e->local.ip, e->v6only, to.ip, false)) wildcard = e.get();
  }
  return wildcard;
}

void Network::WakeSocket(Endpoint& ep, uint32_t events) {
  if (ep.socket != nullptr) ep.socket->Wake(events);
}

bool Network::OnOneHost(const Endpoint& ep) {
  if (ep.unix_domain) return true;
  auto it = endpoints_.find(ep.peer);
  return it != endpoints_.end() && it->second->host == ep.host;
}

void Network::ScheduleTransmit(Endpoint& ep) {
  // Within one host (a unix socket, a loopback connection) the kernel hands the bytes over inside the
  // call that queued them, as Linux does: they are in the peer's receive queue, and the peer's readiness
  // is raised, when write() (or close(), or the read that reopened the window) returns.
  if (OnOneHost(ep)) {
    Transmit(ep.id);
    return;
  }
  if (ep.transmit_scheduled) return;
  ep.transmit_scheduled = true;
  // Waiting a little lets later writes join this one in a segment (coalescing); 0 is "send now".
  const Nanos wait{options_.coalesce_step.ns *
                   static_cast<int64_t>(kernel_.chooser().Choose(Site::kNetDelay, options_.coalesce_steps))};
  kernel_.At(kernel_.clock().Now() + wait, [this, id = ep.id] { Transmit(id); });
}

void Network::Transmit(uint64_t id) {
  Endpoint& ep = Ep(id);
  ep.transmit_scheduled = false;
  // Delivery within one host runs the peer's side at once, which may come back here (the peer reads and
  // reopens the window, or answers with a reset): the outer call goes on with what changed.
  if (ep.transmitting) return;
  ep.transmitting = true;
  const bool local = OnOneHost(ep);
  while (ep.state == Endpoint::State::kConnected && !ep.send_queue.empty()) {
    const Endpoint& to = Ep(ep.peer);
    const int64_t window = options_.recv_buffer - static_cast<int64_t>(to.recv.size()) - ep.in_flight;
    if (window <= 0) break;
    const uint64_t cap = std::min<uint64_t>(
        {ep.send_queue.size(), static_cast<uint64_t>(window), local ? kLoopbackMss : options_.mss});
    // Segment size 1..cap; the plain answer 0 is a full segment. Loopback (as Linux's, MTU 64 KiB) sends a
    // write of up to its MSS as one segment, so only a real link cuts small writes.
    const uint64_t size = local ? cap : cap - kernel_.chooser().Choose(Site::kNetDelay, cap);
    Segment seg;
    seg.data = ep.send_queue.substr(0, size);
    ep.send_queue.erase(0, size);
    ep.in_flight += static_cast<int64_t>(size);
    Push(ep, std::move(seg));
  }
  if (ep.state == Endpoint::State::kConnected && ep.send_queue.empty() && ep.shut_write && !ep.fin_sent) {
    ep.fin_sent = true;
    Segment fin;
    fin.kind = Segment::kFin;
    Push(ep, std::move(fin));
  }
  ep.transmitting = false;
}

void Network::Push(Endpoint& from, Segment seg) {
  const Nanos now = kernel_.clock().Now();
  seg.sent = now;
  ++segments_;
  if (OnOneHost(from)) {
    // Within one host nothing is on a wire: the segment reaches the peer inside this call.
    from.wire.push_back(std::move(seg));
    Deliver(from.id);
    return;
  }
  const Endpoint& to = Ep(from.peer);
  Nanos arrival = std::max(now + Latency(from.host, to.host), from.last_arrival);
  if (options_.mutations.deliver_at_send_time) arrival = now;
  from.last_arrival = std::max(from.last_arrival, arrival);
  from.wire.push_back(std::move(seg));
  if (options_.mutations.swap_segment_pairs && segments_ % 2 == 0 && from.wire.size() >= 2) {
    std::swap(from.wire[from.wire.size() - 1], from.wire[from.wire.size() - 2]);
  }
  // One delivery per segment; each takes the oldest segment still on the wire, so order holds even
  // when a partition makes deliveries retry.
  kernel_.At(arrival, [this, id = from.id] { Deliver(id); });
}

void Network::Deliver(uint64_t from_id) {
  Endpoint& from = Ep(from_id);
  if (from.wire.empty()) return;  // the connection died with this segment on the wire
  Endpoint& to = Ep(from.peer);
  const Nanos now = kernel_.clock().Now();
  if (Partitioned(from.host, to.host)) {
    if (now - from.wire.front().sent >= options_.tcp_timeout) {
      from.wire.clear();
      Abort(from, -ETIMEDOUT, false);
    } else {
      kernel_.At(now + options_.retransmit_interval, [this, from_id] { Deliver(from_id); });
    }
    return;
  }
  Segment seg = std::move(from.wire.front());
  from.wire.pop_front();
  using State = Endpoint::State;
  switch (seg.kind) {
    case Segment::kSynAck:
      if (to.state == State::kConnecting && !to.closed) {
        to.state = State::kConnected;
        WakeSocket(to, kPollOut);
        return;
      }
      // The client gave up or closed meanwhile: it answers with a reset.
      to.state = State::kDead;
      SendRst(to);
      return;
    case Segment::kData:
      from.in_flight -= static_cast<int64_t>(seg.data.size());
      if (to.closed || to.state != State::kConnected) {
        // Data for a socket the program closed, or one already dead, draws an RST, as on Linux.
        to.state = State::kDead;
        to.send_queue.clear();
        SendRst(to);
        return;
      }
      if (!(options_.mutations.drop_every_5th_segment && segments_ % 5 == 0)) to.recv += seg.data;
      WakeSocket(to, kPollIn);
      WakeSocket(from, kPollOut);
      return;
    case Segment::kFin:
      if (to.state != State::kConnected) return;
      to.fin_received = true;
      WakeSocket(to, kPollIn | kPollRdHup | (to.shut_write ? kPollHup : 0));
      return;
    case Segment::kRst:
      if (to.state == State::kDead) return;
      to.state = State::kDead;
      // As Linux's tcp_reset: a reset after the peer's FIN (CLOSE_WAIT) leaves EPIPE for the next write.
      to.error = to.closed ? 0 : to.fin_received ? -EPIPE : -ECONNRESET;
      to.send_queue.clear();
      to.wire.clear();
      to.in_flight = 0;
      WakeSocket(to, kAllBits);
      return;
  }
}

void Network::SendRst(Endpoint& from) {
  Segment rst;
  rst.kind = Segment::kRst;
  Push(from, std::move(rst));
}

void Network::Abort(Endpoint& ep, int error, bool send_rst) {
  if (send_rst && ep.peer != 0 && ep.state == Endpoint::State::kConnected) SendRst(ep);
  ep.state = Endpoint::State::kDead;
  ep.error = error;
  ep.send_queue.clear();
  ep.shut_write = true;
  WakeSocket(ep, kAllBits);
}

void Network::Orphan(Endpoint& ep) {
  using State = Endpoint::State;
  ep.socket = nullptr;
  ep.closed = true;
  if (ep.unix_domain && !ep.local.path.empty()) {
    auto it = unix_paths_.find(ep.local.path);
    if (it != unix_paths_.end() && it->second == ep.id) unix_paths_.erase(it);
  }
  switch (ep.state) {
    case State::kListening:
      // Connections nobody accepted are reset.
      for (uint64_t q : ep.accept_queue) {
        Endpoint& c = Ep(q);
        c.closed = true;
        Abort(c, 0, true);
      }
      ep.accept_queue.clear();
      ep.state = State::kDead;
      break;
    case State::kConnected:
      if (!ep.recv.empty()) {
        Abort(ep, 0, true);  // closing with unread input resets the connection
      } else {
        ep.shut_write = true;
        ScheduleTransmit(ep);
      }
      break;
    case State::kConnecting:
      break;  // the handshake finds it closed and resets
    case State::kFresh:
    case State::kBound:
      ep.state = State::kDead;
      break;
    case State::kDead:
      break;
  }
  ep.holds_port = ep.state != State::kDead && ep.holds_port;
}

void Network::CrashHost(HostId host) {
  LS_CHECK_MSG(host != kLocalHost && host < hosts_.size(), "only another host can crash");
  for (auto& [id, ep] : endpoints_) {
    if (ep->host != host || ep->unix_domain) continue;
    for (uint64_t q : ep->accept_queue) {
      Endpoint& c = Ep(q);
      c.closed = true;
      c.state = Endpoint::State::kDead;
    }
    ep->accept_queue.clear();
    ep->state = Endpoint::State::kDead;
    ep->send_queue.clear();
    ep->wire.clear();
    ep->in_flight = 0;
    ep->shut_write = ep->fin_sent = true;
    ep->error = 0;
    ep->holds_port = false;
  }
  if (on_crash_) on_crash_(host);
}

void Network::SendSyn(uint64_t client, Nanos started) {
  Endpoint& c = Ep(client);
  if (c.state != Endpoint::State::kConnecting) return;
  const int dst = RouteTo(c.host, c.remote.ip);
  if (dst < 0) {
    // Nobody owns the address: the SYNs go unanswered until the connect timeout.
    kernel_.At(started + options_.connect_timeout, [this, client] { ConnectFailed(client, -ETIMEDOUT); });
    return;
  }
  const HostId to = static_cast<HostId>(dst);
  if (to == c.host) {
    // Within one host the handshake is over when connect() returns (as on Linux, where the SYN, SYN-ACK
    // and ACK all pass through loopback inside the call): the connection waits in the accept queue.
    SynArrives(client, to, started);
    return;
  }
  kernel_.At(kernel_.clock().Now() + Latency(c.host, to),
             [this, client, to, started] { SynArrives(client, to, started); });
}

void Network::SynArrives(uint64_t client, HostId to_host, Nanos started) {
  Endpoint& c = Ep(client);
  if (c.state != Endpoint::State::kConnecting) return;
  if (c.closed) {
    c.state = Endpoint::State::kDead;
    return;
  }
  const Nanos now = kernel_.clock().Now();
  Endpoint* listener = Partitioned(c.host, to_host) ? nullptr : FindListener(to_host, c.remote);
  const bool lost = Partitioned(c.host, to_host) ||
                    (listener != nullptr && listener->accept_queue.size() >= static_cast<size_t>(listener->backlog));
  if (lost) {
    // A SYN lost to a partition or dropped by a full backlog is sent again until the connect timeout.
    if (now - started >= options_.connect_timeout) {
      ConnectFailed(client, -ETIMEDOUT);
    } else {
      kernel_.At(now + options_.retransmit_interval, [this, client, started] { SendSyn(client, started); });
    }
    return;
  }
  if (listener == nullptr) {
    if (to_host == c.host) {
      ConnectFailed(client, -ECONNREFUSED);  // the RST is back inside connect(), as the SYN-ACK would be
      return;
    }
    const Nanos back = Latency(to_host, c.host);
    kernel_.At(now + back, [this, client] { ConnectFailed(client, -ECONNREFUSED); });
    return;
  }
  const uint64_t sid = NewEndpoint(to_host, false);
  Endpoint& s = Ep(sid);
  s.state = Endpoint::State::kConnected;
  s.local = SockAddr{c.remote.ip, c.remote.port, {}};
  s.remote = c.local;
  s.peer = client;
  c.peer = sid;
  // Within one host the SYN-ACK reaches the client (connected) before its ACK puts the connection on the
  // listener's queue, as on Linux; between hosts the SYN-ACK is only on its way now.
  Segment synack;
  synack.kind = Segment::kSynAck;
  Push(s, std::move(synack));
  listener->accept_queue.push_back(sid);
  WakeSocket(*listener, kPollIn);
}

void Network::ConnectFailed(uint64_t client, int error) {
  Endpoint& c = Ep(client);
  if (c.state != Endpoint::State::kConnecting) return;
  c.state = Endpoint::State::kDead;
  c.error = c.closed ? 0 : error;
  WakeSocket(c, kAllBits);
}

// ---- StreamSocket ----

StreamSocket::StreamSocket(Network& net, uint64_t endpoint) : net_(net), endpoint_(endpoint) {}

StreamSocket::~StreamSocket() { net_.Orphan(net_.Ep(endpoint_)); }

uint32_t StreamSocket::Poll() const {
  using State = Network::Endpoint::State;
  const Network::Endpoint& ep = net_.Ep(endpoint_);
  const uint32_t err = ep.error != 0 ? kPollErr : 0;
  switch (ep.state) {
    case State::kFresh:
    case State::kBound:
      return kPollHup;
    case State::kListening:
      return ep.accept_queue.empty() ? 0 : kPollIn;
    case State::kConnecting:
      return 0;
    case State::kConnected: {
      uint32_t bits = err;
      if (!ep.recv.empty() || ep.fin_received) bits |= kPollIn;
      if (ep.fin_received) bits |= kPollRdHup;
      if (ep.shut_write || WritableCount() > 0) bits |= kPollOut;
      if (ep.shut_write && ep.fin_received) bits |= kPollHup;
      return bits;
    }
    case State::kDead:
      return kPollIn | kPollOut | kPollRdHup | kPollHup | err;
  }
  return 0;
}

int64_t StreamSocket::ReadableCount() const {
  const Network::Endpoint& ep = net_.Ep(endpoint_);
  if (ep.state == Network::Endpoint::State::kListening) return static_cast<int64_t>(ep.accept_queue.size());
  return static_cast<int64_t>(ep.recv.size());
}

int64_t StreamSocket::WritableCount() const {
  const Network::Endpoint& ep = net_.Ep(endpoint_);
  if (ep.state != Network::Endpoint::State::kConnected || ep.shut_write) return 0;
  return std::max<int64_t>(0, net_.options_.send_buffer - static_cast<int64_t>(ep.send_queue.size()) - ep.in_flight);
}

// A connection on one host cannot time out: that kind is excluded from its draws.
int64_t StreamSocket::IoFault(FaultSite site, Network::Endpoint& ep, size_t* len, size_t shortable) {
  if (net_.options_.faults == nullptr) return 0;
  switch (net_.options_.faults->Check(site, net_.OnOneHost(ep) ? FaultKind::kTimedOut : FaultKind::kNone)) {
    case FaultKind::kEintr: return -EINTR;
    case FaultKind::kEagain: return -EAGAIN;
    case FaultKind::kConnReset:
      net_.Abort(ep, 0, true);
      return -ECONNRESET;
    case FaultKind::kTimedOut:
      net_.Abort(ep, 0, false);
      return -ETIMEDOUT;
    case FaultKind::kShortRead:
      if (site == FaultSite::kNetRead) *len = net_.options_.faults->ShortLength(shortable);
      return 0;
    case FaultKind::kShortWrite:
      if (site == FaultSite::kNetWrite) *len = net_.options_.faults->ShortLength(shortable);
      return 0;
    default: return 0;
  }
}

// As Linux's tcp_recvmsg, tcp_sendmsg and inet_stream_connect. A dead connection's read gives what is
// left and then the end of stream; its write fails later, with its error or EPIPE.
int StreamSocket::StateError(Call call, const Network::Endpoint& ep) {
  using State = Network::Endpoint::State;
  constexpr size_t kStates = static_cast<size_t>(State::kDead) + 1;
  // A row a call, in Call's order; a column a state, in State's order: fresh, bound, listening,
  // connecting, connected, dead.
  static constexpr int kErrno[][kStates] = {
      {-ENOTCONN, -ENOTCONN, -EINVAL, -EAGAIN, 0, 0},    // read
      {-ENOTCONN, -ENOTCONN, -ENOTCONN, -EAGAIN, 0, 0},  // write
      {0, 0, -EINVAL, -EALREADY, -EISCONN, -EISCONN},    // connect
  };
  return kErrno[static_cast<size_t>(call)][static_cast<size_t>(ep.state)];
}

int64_t StreamSocket::Read(void* buf, size_t len) {
  using State = Network::Endpoint::State;
  Network::Endpoint& ep = net_.Ep(endpoint_);
  if (const int refused = StateError(Call::kRead, ep); refused != 0) return refused;
  if (ep.state == State::kConnected) {
    if (const int64_t fault = IoFault(FaultSite::kNetRead, ep, &len, std::min(len, ep.recv.size())); fault != 0) {
      return fault;
    }
  }
  if (!ep.recv.empty()) {
    if (len == 0) return 0;
    const size_t n = std::min(len, ep.recv.size());
    std::memcpy(buf, ep.recv.data(), n);
    ep.recv.erase(0, n);
    // The window opened: a sender waiting for it goes on.
    Network::Endpoint& sender = net_.Ep(ep.peer);
    if (!sender.send_queue.empty()) net_.ScheduleTransmit(sender);
    return static_cast<int64_t>(n);
  }
  // As Linux's tcp_recvmsg: after the peer's FIN a read gives the end of stream, even if a reset came
  // since (its error is the next write's).
  if (ep.fin_received) return 0;
  if (ep.error != 0) return TakeError();
  if (ep.state == State::kDead) return 0;
  return -EAGAIN;
}

int64_t StreamSocket::Peek(void* buf, size_t len) {
  using State = Network::Endpoint::State;
  const Network::Endpoint& ep = net_.Ep(endpoint_);
  if (ep.state == State::kListening) return -EINVAL;
  if (ep.state != State::kConnected && ep.state != State::kDead) return -ENOTCONN;
  if (!ep.recv.empty()) {
    const size_t n = std::min(len, ep.recv.size());
    std::memcpy(buf, ep.recv.data(), n);
    return static_cast<int64_t>(n);
  }
  if (ep.fin_received) return 0;
  if (ep.error != 0) return ep.error;
  if (ep.state == State::kDead) return 0;
  return -EAGAIN;
}

int64_t StreamSocket::Write(const void* buf, size_t len) {
  using State = Network::Endpoint::State;
  Network::Endpoint& ep = net_.Ep(endpoint_);
  if (const int refused = StateError(Call::kWrite, ep); refused != 0) return refused;
  if (ep.error != 0) return TakeError();
  if (ep.state == State::kDead || ep.shut_write) return -EPIPE;
  if (const int64_t fault = IoFault(FaultSite::kNetWrite, ep, &len, len); fault != 0) return fault;
  const int64_t space = WritableCount();
  if (space <= 0) return -EAGAIN;
  const size_t n = std::min(len, static_cast<size_t>(space));
  ep.send_queue.append(static_cast<const char*>(buf), n);
  net_.ScheduleTransmit(ep);
  return static_cast<int64_t>(n);
}

int StreamSocket::Bind(const SockAddr& addr) {
  Network::Endpoint& ep = net_.Ep(endpoint_);
  if (ep.state != Network::Endpoint::State::kFresh) return -EINVAL;
  if (ep.unix_domain) {
    if (!addr.is_unix()) return -EINVAL;
    if (net_.unix_paths_.count(addr.path)) return -EADDRINUSE;
    net_.unix_paths_[addr.path] = endpoint_;
  } else {
    if (addr.is_unix()) return -EINVAL;
    if (!addr.ip.IsAny() && !net_.OwnsAddress(ep.host, addr.ip)) return -EADDRNOTAVAIL;
    const uint16_t port = addr.port != 0 ? addr.port : net_.EphemeralPort(ep.host);
    if (port == 0 || net_.PortInUse(ep.host, false, addr.ip, port, ep.v6only)) return -EADDRINUSE;
    ep.holds_port = true;
    ep.local = SockAddr{addr.ip, port, {}};
    ep.state = Network::Endpoint::State::kBound;
    return 0;
  }
  ep.local = addr;
  ep.state = Network::Endpoint::State::kBound;
  return 0;
}

int StreamSocket::Listen(int backlog) {
  using State = Network::Endpoint::State;
  Network::Endpoint& ep = net_.Ep(endpoint_);
  if (ep.state == State::kFresh && !ep.unix_domain) {
    const int r = Bind(SockAddr{IpAddr::Any(false), 0, {}});
    if (r < 0) return r;
  }
  if (ep.state != State::kBound && ep.state != State::kListening) return -EINVAL;
  ep.backlog = std::clamp(backlog, 1, 4096);
  ep.state = State::kListening;
  return 0;
}

int StreamSocket::Connect(const SockAddr& addr) {
  using State = Network::Endpoint::State;
  Network::Endpoint& ep = net_.Ep(endpoint_);
  if (const int refused = StateError(Call::kConnect, ep); refused != 0) return refused;
  if (addr.is_unix() != ep.unix_domain) return -EAFNOSUPPORT;
  if (ep.unix_domain) {
    auto it = net_.unix_paths_.find(addr.path);
    // A missing file-system path is ENOENT; a missing abstract name (a leading NUL) is refused.
    if (it == net_.unix_paths_.end()) return addr.path[0] == '\0' ? -ECONNREFUSED : -ENOENT;
    Network::Endpoint& l = net_.Ep(it->second);
    if (l.state != State::kListening) return -ECONNREFUSED;
    if (l.accept_queue.size() >= static_cast<size_t>(l.backlog)) return -EAGAIN;
    const uint64_t sid = net_.NewEndpoint(ep.host, true);
    Network::Endpoint& s = net_.Ep(sid);
    s.state = ep.state = State::kConnected;
    s.local = addr;
    s.peer = endpoint_;
    ep.peer = sid;
    ep.remote = addr;
    l.accept_queue.push_back(sid);
    net_.WakeSocket(l, kPollIn);
    Wake(kPollOut);
    return 0;
  }
  SockAddr to = addr;
  if (to.ip.IsAny()) to.ip = IpAddr::Loopback(to.ip.v4);  // as Linux, connecting to 0.0.0.0 means here
  if (ep.state == State::kFresh) {
    const uint16_t port = net_.EphemeralPort(ep.host);
    if (port == 0) return -EADDRNOTAVAIL;
    ep.local = SockAddr{net_.SourceAddress(ep.host, to.ip), port, {}};
    ep.holds_port = true;
  } else if (ep.local.ip.IsAny()) {
    ep.local.ip = net_.SourceAddress(ep.host, to.ip);
  }
  ep.remote = to;
  ep.state = State::kConnecting;
  const Nanos now = net_.kernel_.clock().Now();
  // A connection within one host (loopback, its own addresses) cannot time out: nothing is lost there.
  const bool local = net_.RouteTo(ep.host, to.ip) == static_cast<int>(ep.host);
  if (!local && net_.options_.faults != nullptr &&
      net_.options_.faults->Check(FaultSite::kNetConnect) == FaultKind::kTimedOut) {
    const uint64_t id = endpoint_;
    net_.kernel_.At(now + net_.options_.connect_timeout, [net = &net_, id] { net->ConnectFailed(id, -ETIMEDOUT); });
    return -EINPROGRESS;
  }
  net_.SendSyn(endpoint_, now);
  return -EINPROGRESS;
}

int StreamSocket::Accept(std::shared_ptr<StreamSocket>* out) {
  Network::Endpoint& ep = net_.Ep(endpoint_);
  if (ep.state != Network::Endpoint::State::kListening) return -EINVAL;
  if (net_.options_.faults != nullptr) {
    const int r = FaultErrno(net_.options_.faults->Check(FaultSite::kNetAccept));
    if (r != 0) return r;
  }
  if (ep.accept_queue.empty()) return -EAGAIN;
  const uint64_t id = ep.accept_queue.front();
  ep.accept_queue.pop_front();
  out->reset(new StreamSocket(net_, id));
  net_.Ep(id).socket = out->get();
  return 0;
}

int StreamSocket::ShutdownWrite() {
  Network::Endpoint& ep = net_.Ep(endpoint_);
  if (ep.state != Network::Endpoint::State::kConnected) return -ENOTCONN;
  if (!ep.shut_write) {
    ep.shut_write = true;
    net_.ScheduleTransmit(ep);
  }
  return 0;
}

int StreamSocket::Reset() {
  Network::Endpoint& ep = net_.Ep(endpoint_);
  if (ep.state != Network::Endpoint::State::kConnected) return -ENOTCONN;
  net_.Abort(ep, 0, true);
  return 0;
}

int StreamSocket::TakeError() {
  Network::Endpoint& ep = net_.Ep(endpoint_);
  const int e = ep.error;
  ep.error = 0;
  return e;
}

int StreamSocket::LocalAddress(SockAddr* out) const {
  *out = net_.Ep(endpoint_).local;
  return 0;
}

int StreamSocket::PeerAddress(SockAddr* out) const {
  const Network::Endpoint& ep = net_.Ep(endpoint_);
  if (ep.state != Network::Endpoint::State::kConnected) return -ENOTCONN;
  *out = ep.remote;
  return 0;
}

void StreamSocket::set_v6only(bool v6only) { net_.Ep(endpoint_).v6only = v6only; }

}  // namespace loopsim
