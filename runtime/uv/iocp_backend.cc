// The IOCP personality: Windows libuv learns about I/O from completions, not readiness. libuv issues an
// overlapped operation inside the call that wants it (AcceptEx in uv_listen, a zero-byte WSARecv in
// uv_read_start, WSASend in uv_write, ConnectEx in uv_tcp_connect: src/win/tcp.c); each completes when
// the kernel can satisfy it, and libuv hears of it in one of two ways:
//   - through the completion port: the packet joins the port's queue when the operation completes, and
//     the poll phase dequeues packets (GetQueuedCompletionStatusEx) and runs one callback each;
//   - on its own pending queue, when the kernel completed the operation inside the issuing call on a TCP
//     socket, which libuv sets FILE_SKIP_COMPLETION_PORT_ON_SUCCESS (uv__tcp_set_socket): no packet; the
//     request runs with the pending requests, before the next poll, or in the rounds right after the
//     poll when issued from its callbacks (UV_SUCCEEDED_WITHOUT_IOCP; src/win/core.c, uv_run). Issue
//     reports these to the stream, which feeds its watcher to the loop's pending queue.
// After a completion's callback libuv issues the operation again (the zero-byte read after every read,
// another AcceptEx after an accept), which completes at once or later.
//
// Compared with epoll: completions keep the order in which the I/O happened instead of the order of a
// ready list, a readable-and-writable socket gets two callbacks, and readiness that came and went
// between two polls still produces its completion. Streams above keep their non-blocking read and write
// paths; what changes is when and in which order they are called, which is what a program observes.
//
// What "synchronous within one host" means here. The kernel is the same for every personality: on
// loopback a connect's handshake, written bytes and a FIN reach the peer inside the sending call
// (fakeos/net.h). For a completion port that means the peer's outstanding operation completes inside
// that call: its packet is queued then, behind every packet queued before it, and the program hears of
// it when the loop next dequeues, as it would of any completion. The sender's own operation is done
// inside its call too, so on a TCP socket it takes the pending queue: a loopback connect has succeeded
// when ConnectEx returns, and its callback runs before the poll that dequeues the listener's accept,
// which the same handshake completed (the SYN-ACK completes ConnectEx before the ACK completes
// AcceptEx). A read issued where bytes (or a FIN) already wait succeeds in uv_read_start and runs before
// packets of reads that completed earlier but wait on the port.
//
// Order. The port is first in, first out: packets come out in the order their operations completed,
// and what the program's own calls completed is in the order of the calls. The seed varies when things
// complete (how long callbacks take, a link's latency), and it orders the packets that the kernel's own
// events (arrivals over a link, timeouts) completed at the same instant, which happened concurrently as
// far as the program can tell (Site::kReadyOrder). Each connection completes its own accept, so a
// listener's callback takes one connection per packet.
//
// Not modelled (the streams above are unix libuv's): a Windows stream becomes readable and writable only
// when its connect completes (writes, shutdown and read_start fail before; Node never does them then);
// a closing stream's close callback waits for its outstanding requests; uv_is_readable turns 0 after
// EOF; uv_try_write answers UV_EAGAIN for every pipe (as on Windows, which has no non-blocking pipe
// write), but a pipe is a unix socket whose completions all come through the port. A completion's
// result is what the stream finds when its callback runs, not what the operation saw: a connect that
// succeeded at once and was reset before its callback reports the reset. A pending AcceptEx takes a
// connection as it arrives, so on Windows closing the listener closes the connections it took, where
// here a connection nobody accepted is reset. An operation issued again after a completion from the
// port completes through the port even when it completes at once (Windows would queue a TCP socket's
// as pending); a listener's accepts always complete through the port.
#include <poll.h>

#include <algorithm>
#include <deque>
#include <map>

#include "runtime/uv/backend.h"

namespace loopsim::uv {

namespace {

class IocpBackend final : public Backend, private FileDescription::Watcher {
 public:
  explicit IocpBackend(Kernel& kernel) : kernel_(kernel), source_(kernel.NewSource()) {}
  ~IocpBackend() override {
    for (auto& [fd, reg] : registrations_) reg.d->RemoveWatcher(this);
    kernel_.CloseSource(source_);
  }

  void Update(int fd, FileDescription* d, unsigned events) override {
    if (Register(fd, d, events, nullptr)) Post(fd, false);
  }

  unsigned Issue(int fd, FileDescription* d, unsigned events, IssueOptions options) override {
    if (!Register(fd, d, events, &options)) return 0;
    Post(fd, true);
    return registrations_.at(fd).completed_at_issue;
  }

  unsigned TakeCompletedAtIssue(int fd) override {
    auto it = registrations_.find(fd);
    if (it == registrations_.end()) return 0;
    Registration& r = it->second;
    const unsigned taken = r.completed_at_issue;
    r.completed_at_issue = 0;
    r.outstanding &= ~taken;
    return taken;
  }

  void Collect(std::vector<std::pair<int, unsigned>>* out, int max) override {
    std::vector<Packet> batch;
    while (!packets_.empty() && static_cast<int>(batch.size()) < max) {
      batch.push_back(packets_.front());
      packets_.pop_front();
    }
    // Packets the kernel's own events completed at one instant come out in the seed's order.
    size_t start = 0;
    while (start < batch.size()) {
      size_t end = start + 1;
      while (end < batch.size() && batch[start].concurrent && batch[end].concurrent &&
             batch[end].at == batch[start].at) {
        ++end;
      }
      for (size_t i = start; i + 1 < end; ++i) {
        const size_t pick = i + kernel_.chooser().Choose(Site::kReadyOrder, end - i);
        std::swap(batch[i], batch[pick]);
      }
      start = end;
    }
    for (const Packet& p : batch) {
      auto it = registrations_.find(p.fd);
      if (it == registrations_.end()) continue;
      Registration& r = it->second;
      if (r.options.listener) {
        --r.announced;
      } else {
        r.outstanding &= ~p.events;
      }
      out->emplace_back(p.fd, p.events);
      if (std::find(rearm_.begin(), rearm_.end(), p.fd) == rearm_.end()) rearm_.push_back(p.fd);
    }
    if (!packets_.empty()) kernel_.Signal(source_);
  }

  void AfterDispatch() override {
    // libuv issues the operations again at the end of each completion's processing, in that order (what
    // completes at once then comes through the port: see the banner).
    std::vector<int> fds;
    fds.swap(rearm_);
    for (int fd : fds) Post(fd, false);
  }

  SourceId source() const override { return source_; }

  bool IssuesInTheCall() const override { return true; }
  bool AcceptsOnePerCompletion() const override { return true; }
  bool TryWriteToPipes() const override { return false; }
  bool DispatchesSignalsLast() const override { return false; }
  bool PipeConnectCompletesPending() const override { return true; }
  bool CountsZeroTimeoutPollEventsAsWaiting() const override { return true; }

 private:
  struct Registration {
    FileDescription* d;
    unsigned events;              // POLLIN / POLLOUT the loop waits for
    unsigned outstanding;         // operations completed and not yet dequeued (or taken, at issue)
    unsigned completed_at_issue;  // of those, the ones on the loop's pending queue
    IssueOptions options;
    int64_t announced;  // a listener's connections with an undelivered accept completion
  };
  struct Packet {
    int fd;
    unsigned events;
    int64_t at;
    bool concurrent;  // completed by a kernel event, not inside the program's call
  };

  // Records what fd's watcher waits for (and, from Issue, how its operations complete); false, with the
  // registration forgotten, when it waits for nothing.
  bool Register(int fd, FileDescription* d, unsigned events, const IssueOptions* options) {
    auto it = registrations_.find(fd);
    if (it != registrations_.end() && (it->second.d != d || events == 0)) {
      if (it->second.d == d) d->RemoveWatcher(this);
      Forget(fd);
      it = registrations_.end();
    }
    if (events == 0) return false;
    if (it == registrations_.end()) {
      d->AddWatcher(this);
      it = registrations_.emplace(fd, Registration{d, 0, 0, 0, {}, 0}).first;
    }
    it->second.events = events;
    if (options != nullptr) it->second.options = *options;
    return true;
  }

  // Completes the operations the loop wants that the kernel can satisfy now and that have not completed
  // yet. `issuing`: libuv is issuing them in this call, so on a socket that skips the port they complete
  // on the pending queue; otherwise they complete through the port.
  void Post(int fd, bool issuing) {
    auto it = registrations_.find(fd);
    if (it == registrations_.end()) return;
    Registration& r = it->second;
    const uint32_t level = r.d->Poll();
    const unsigned err = (level & kPollErr) ? static_cast<unsigned>(POLLERR) : 0u;
    auto complete = [&](unsigned events) {
      if (issuing && r.options.skip_port && !r.options.listener) {
        r.completed_at_issue |= events | err;
        return;
      }
      packets_.push_back(Packet{fd, events | err, kernel_.clock().Now().ns, kernel_.InEvent()});
      kernel_.Signal(source_);
    };
    if (r.options.listener) {
      // One completion per connection waiting to be accepted (or one for the error that ends them), each
      // through the port: a listener issues its accepts before connections come.
      if (!(r.events & POLLIN)) return;
      const int64_t waiting = err != 0 ? 1 : r.d->ReadableCount();
      for (; r.announced < waiting; ++r.announced) complete(POLLIN);
      return;
    }
    if ((r.events & POLLIN) && !(r.outstanding & POLLIN) && (level & (kPollIn | kPollErr | kPollHup | kPollRdHup))) {
      r.outstanding |= POLLIN;
      complete(POLLIN);
    }
    if ((r.events & POLLOUT) && !(r.outstanding & POLLOUT) && (level & (kPollOut | kPollErr | kPollHup))) {
      r.outstanding |= POLLOUT;
      complete(POLLOUT);
    }
  }

  void Forget(int fd) {
    registrations_.erase(fd);
    std::erase_if(packets_, [fd](const Packet& p) { return p.fd == fd; });
  }

  int FdOf(const FileDescription& d) const {
    for (const auto& [fd, r] : registrations_) {
      if (r.d == &d) return fd;
    }
    return -1;
  }

  void OnWake(FileDescription& d, uint32_t events) override {
    const int fd = FdOf(d);
    if (fd >= 0) Post(fd, false);
  }

  void OnRelease(FileDescription& d) override {
    const int fd = FdOf(d);
    if (fd >= 0) Forget(fd);
  }

  Kernel& kernel_;
  SourceId source_;
  std::map<int, Registration> registrations_;  // by fd; iterated only to find a description's fd
  std::deque<Packet> packets_;                 // the completion port's queue, in completion order
  std::vector<int> rearm_;                     // fds whose completions were just delivered, in that order
};

}  // namespace

std::unique_ptr<Backend> NewIocpBackend(Kernel& kernel) { return std::make_unique<IocpBackend>(kernel); }

}  // namespace loopsim::uv
