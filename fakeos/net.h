// The virtual network: hosts with addresses, the links between them, and the sockets programs use on
// them. Host 0 is the machine the program runs on; tests and scenarios add more (a database at
// 10.0.0.2, say), each with its own loopback. Every socket is a FileDescription, so the epoll and
// kqueue models and the loop's backends observe it.
//
// TCP (stream.cc): listen with a backlog, accept, non-blocking connect (ECONNREFUSED when nobody
// listens, ETIMEDOUT when a partition or a full backlog outlasts the connect timeout), send and receive
// buffers with flow control, EAGAIN, half-close, RST (close with unread data, a write to a closed peer,
// an explicit reset). Unix stream sockets (named and socketpair) use the same machinery.
//
// Within one host (unix sockets, loopback, a host's own addresses) nothing is on a wire, and the
// kernel hands packets over inside the call that sends them, as Linux does: a connect()'s handshake is
// over when it returns (EINPROGRESS notwithstanding: the connection waits in the listener's accept
// queue, or the refusal is pending), written bytes are in the peer's receive queue when write()
// returns, and a close()'s FIN or RST has reached the peer when close() returns. The peer's readiness
// is raised (its watchers woken) at that moment, inside the sender's call; nothing is left for a later
// poll. A write of up to the loopback MSS is one segment.
//
// Between hosts the byte stream is cut into segments and merged across writes as the seed chooses
// (Site::kNetDelay): a write may wait a few microseconds to be coalesced with later ones, and each
// segment is 1..mss bytes. Segments arrive in order, each after the link's latency plus chosen jitter,
// delivered by Kernel::At at their arrival instant and never before.
//
// UDP (udp.cc): between hosts, datagrams with chosen latency each (so they can overtake one another);
// within one host, in the receiver's queue when sendto() returns. Loss and duplication at configured
// integer ratios, a bounded receive queue that drops when full.
//
// Partitions cut the link between two hosts both ways until healed: TCP segments and SYNs are
// retransmitted every retransmit_interval until the link heals or the connection times out; datagrams
// are lost. Pipes are in pipe.h, names in dns_table.h.
//
// A host that crashes (CrashHost) loses its TCP state silently, as a machine losing power does: its
// connections and listeners are gone without a FIN or an RST, whatever it had queued or on the wire is
// lost, and its ports are free again. A peer learns of it only when it sends: the host answers the
// segment with an RST, as a rebooted host answers a connection it does not know. What else a crash
// does (the host's processes die, its unsynced file data is lost) is the crash handler's.
//
// Fault model (through Faults, when given): reads and writes may fail with EINTR/EAGAIN, come out short,
// or find the connection reset or timed out (then the peer is reset too); accept may fail with EAGAIN or
// EMFILE, socket creation with EMFILE, connect may time out; a packet leaving a host may be held back by
// a latency spike or cut the link by a partition that heals after the profile's duration.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fakeos/base/time.h"
#include "fakeos/dns_table.h"
#include "fakeos/faults.h"
#include "fakeos/file_description.h"
#include "fakeos/net_address.h"

namespace loopsim {

class Kernel;
class StreamSocket;
class UdpSocket;

using HostId = uint32_t;

class Network {
 public:
  // Test-only ways to break the rules the property tests check. Never set outside tests.
  struct TestMutations {
    bool deliver_at_send_time = false;    // segments skip their latency
    bool drop_every_5th_segment = false;  // stream bytes are lost
    bool swap_segment_pairs = false;      // every other segment overtakes the one before it
  };
  struct Options {
    Nanos link_latency = Microseconds(500);
    Nanos jitter_step = Microseconds(10);
    uint64_t jitter_steps = 16;          // latency jitter is a chosen number of steps below this
    Nanos coalesce_step = Microseconds(5);
    uint64_t coalesce_steps = 4;         // between hosts a write waits a chosen number of steps below this
    uint64_t mss = 16384;                // largest segment
    int64_t send_buffer = 256 * 1024;
    int64_t recv_buffer = 256 * 1024;
    Nanos retransmit_interval = Milliseconds(200);
    Nanos connect_timeout = Seconds(127);  // as Linux's six SYN retries
    Nanos tcp_timeout = Seconds(924);      // as Linux's fifteen retransmissions
    Ratio udp_loss{0, 1};
    Ratio udp_duplicate{0, 1};
    int64_t udp_recv_buffer = 208 * 1024;
    Faults* faults = nullptr;              // no faults when null
    TestMutations mutations;
  };

  static constexpr HostId kLocalHost = 0;
  // Linux's loopback MSS (MTU 65536 less the IP and TCP headers).
  static constexpr uint64_t kLoopbackMss = 65483;

  // Deliveries are kernel events that point back here: the kernel must not run events after the
  // network is gone (as a Kernel member, declare it before the event queue).
  Network(Kernel& kernel, Options options);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // Adds a host with its addresses (besides loopback) and registers its name in the DNS table.
  HostId AddHost(std::string_view name, std::vector<IpAddr> addresses);
  // Gives the local host more addresses (it starts with loopback only).
  void AddLocalAddress(const IpAddr& addr);
  const std::string& HostName(HostId host) const { return hosts_[host].name; }
  // The host named `name` (its AddHost name), or -1.
  int FindHost(std::string_view name) const;
  void Partition(HostId a, HostId b);
  void Heal(HostId a, HostId b);
  void HealAll();
  bool Partitioned(HostId a, HostId b) const;

  // A crash of `host` (not the local host): its TCP state is lost (above), then `on_crash` hears of it.
  void CrashHost(HostId host);
  // Who acts out the rest of a crash, fault-injected or not (the runtime: it ends the host's processes).
  void SetCrashHandler(std::function<void(HostId)> on_crash) { on_crash_ = std::move(on_crash); }

  DnsTable& dns() { return dns_; }
  const Options& options() const { return options_; }

  // socket(): 0 and *out, or -EMFILE when that fault fires.
  int NewStreamSocket(HostId host, bool unix_domain, std::shared_ptr<StreamSocket>* out);
  int NewUdpSocket(HostId host, std::shared_ptr<UdpSocket>* out);
  // Whether a unix stream socket is bound to `path` (a file-system path or an abstract name).
  bool UnixPathInUse(const std::string& path) const { return unix_paths_.count(path) != 0; }
  // socketpair(AF_UNIX, SOCK_STREAM): two connected unix stream sockets on host.
  void SocketPair(HostId host, std::shared_ptr<StreamSocket>* a, std::shared_ptr<StreamSocket>* b);

 private:
  friend class StreamSocket;
  friend class UdpSocket;
  struct Endpoint;
  struct Segment;
  struct Host {
    std::string name;
    std::vector<IpAddr> addresses;
    uint16_t next_port = 32768;
  };

  // A fault-injected cut of the link from-to (kPartition) or of every link of `from` (kIsolate), healed
  // after the profile's duration; a link already cut stays as it is.
  void CutForAWhile(HostId from, HostId to);
  // Routing and timing.
  int RouteTo(HostId from, const IpAddr& to) const;  // the host owning `to`, or -1
  bool OwnsAddress(HostId host, const IpAddr& ip) const;
  IpAddr SourceAddress(HostId from, const IpAddr& to) const;
  // How long a packet between two hosts travels; may fire latency-spike and partition faults. Within one
  // host nothing travels: the callers deliver at once.
  Nanos Latency(HostId from, HostId to);
  uint16_t EphemeralPort(HostId host);
  bool PortInUse(HostId host, bool udp, const IpAddr& ip, uint16_t port, bool v6only) const;
  bool Chance(const Ratio& r);

  // TCP and unix streams (stream.cc).
  Endpoint& Ep(uint64_t id);
  uint64_t NewEndpoint(HostId host, bool unix_domain);
  Endpoint* FindListener(HostId host, const SockAddr& to);
  // True for a unix socket or a loopback connection: bytes move inside one kernel.
  bool OnOneHost(const Endpoint& ep);
  void ScheduleTransmit(Endpoint& ep);
  void Transmit(uint64_t id);
  void Push(Endpoint& from, Segment seg);
  void Deliver(uint64_t from_id);
  void SendSyn(uint64_t client, Nanos started);
  void SynArrives(uint64_t client, HostId to_host, Nanos started);
  void ConnectFailed(uint64_t client, int error);
  void SendRst(Endpoint& from);
  void Abort(Endpoint& ep, int error, bool send_rst);
  void Orphan(Endpoint& ep);
  void WakeSocket(Endpoint& ep, uint32_t events);

  Kernel& kernel_;
  Options options_;
  DnsTable dns_;
  std::vector<Host> hosts_;
  std::map<std::pair<HostId, HostId>, bool> partitions_;  // (low, high) -> cut
  std::map<uint64_t, std::shared_ptr<Endpoint>> endpoints_;
  uint64_t next_endpoint_ = 1;
  std::map<std::string, uint64_t> unix_paths_;  // bound unix stream sockets by path
  std::vector<UdpSocket*> udp_sockets_;         // in creation order
  uint64_t segments_ = 0;                       // drives the segment mutations
  std::function<void(HostId)> on_crash_;
};

class StreamSocket final : public FileDescription {
 public:
  // Closing: queued bytes still go out, then a FIN; with unread input, an RST instead (as Linux).
  ~StreamSocket() override;

  uint32_t Poll() const override;
  int64_t ReadableCount() const override;  // bytes to read, or connections to accept
  int64_t WritableCount() const override;  // free send buffer
  int64_t Read(void* buf, size_t len) override;
  int64_t Write(const void* buf, size_t len) override;
  // recv(MSG_PEEK | MSG_DONTWAIT): the bytes Read would give, left in place; 0 at end of stream; the
  // pending error (left pending); -EAGAIN when there is nothing yet. Decides nothing, injects no fault.
  int64_t Peek(void* buf, size_t len);

  int Bind(const SockAddr& addr);
  int Listen(int backlog);
  // 0 (unix sockets connect at once), -EINPROGRESS (IP: kPollOut, or an error via TakeError, tells the
  // outcome), or an immediate error.
  int Connect(const SockAddr& addr);
  int Accept(std::shared_ptr<StreamSocket>* out);
  int ShutdownWrite();
  // Drops the connection with an RST (SO_LINGER 0 and close, as uv_tcp_close_reset).
  int Reset();
  // getsockopt(SO_ERROR): the pending error (negative errno) or 0, and clears it.
  int TakeError();
  int LocalAddress(SockAddr* out) const;
  int PeerAddress(SockAddr* out) const;
  void set_v6only(bool v6only);

 private:
  friend class Network;
  StreamSocket(Network& net, uint64_t endpoint);
  // The fault profile's say on a read or write of a connected endpoint: 0 to go on (with *len shortened
  // to a part of `shortable` bytes when a short read or write fires), or the negative errno the call
  // fails with (an injected reset or timeout aborts the connection first).
  int64_t IoFault(FaultSite site, Network::Endpoint& ep, size_t* len, size_t shortable);
  // The calls the connection's state alone may refuse; StateError is what `call` returns in ep's state
  // (negative errno), or 0 where the call goes on.
  enum class Call { kRead, kWrite, kConnect };
  static int StateError(Call call, const Network::Endpoint& ep);
  Network& net_;
  uint64_t endpoint_;
};

class UdpSocket final : public FileDescription {
 public:
  ~UdpSocket() override;

  uint32_t Poll() const override;
  int64_t ReadableCount() const override;  // size of the next datagram
  int64_t WritableCount() const override;
  // Read and Write use the connected peer (-EDESTADDRREQ/-EAGAIN without one or without data).
  int64_t Read(void* buf, size_t len) override;
  int64_t Write(const void* buf, size_t len) override;

  int Bind(const SockAddr& addr);
  int Connect(const SockAddr& addr);
  // to == nullptr sends to the connected peer. Returns len, or a negative errno.
  int64_t SendTo(const void* buf, size_t len, const SockAddr* to);
  // Copies the next datagram (truncated to len) and its source; -EAGAIN when none is queued.
  int64_t RecvFrom(void* buf, size_t len, SockAddr* from);
  int LocalAddress(SockAddr* out) const;
  void set_v6only(bool v6only) { v6only_ = v6only; }

 private:
  friend class Network;
  struct Datagram {
    SockAddr from;
    std::string data;
  };
  UdpSocket(Network& net, HostId host);
  void Arrive(const SockAddr& from, std::string data);

  Network& net_;
  HostId host_;
  bool bound_ = false;
  bool v6only_ = false;
  SockAddr local_;
  bool connected_ = false;
  SockAddr peer_;
  std::deque<Datagram> queue_;
  int64_t queued_bytes_ = 0;
};

}  // namespace loopsim
