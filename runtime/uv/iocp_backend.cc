// The IOCP personality: Windows libuv learns about I/O from completion packets, not readiness. Each
// socket has at most one read and one write operation outstanding (libuv posts a zero-byte read, and a
// write); an operation completes when the kernel can satisfy it, and its packet joins the completion
// port's queue at that instant. The poll phase dequeues packets in completion order (the seed orders
// packets that completed at the same instant) and delivers one callback per packet; after the callbacks,
// operations are posted again, completing at once when data or space is still there (libuv re-posts
// its zero-byte read after every read).
//
// Compared with epoll: packets keep the order in which the I/O happened instead of the order of a
// ready list, a readable-and-writable socket gets two callbacks, and readiness that came and went
// between two polls still produces its packet. Streams above keep their non-blocking read and write
// paths; what changes is when and in which order they are called, which is what a program observes.
// The one path Windows libuv lacks is a non-blocking write to a pipe: uv_try_write answers UV_EAGAIN
// for pipes here, as it does on Windows.
//
// Not modelled (the streams above are unix libuv's): a Windows stream becomes readable and writable only
// when its connect completes (writes, shutdown and read_start fail before; Node never does them then);
// a closing stream's close callback waits for its outstanding requests; uv_is_readable turns 0 after
// EOF; same-instant completions whose order Windows fixes by causality (ConnectEx before the AcceptEx
// it unblocks) are still ordered by the seed, so the model allows a few orders Windows would not show.
#include <poll.h>

#include <deque>
#include <map>
#include <set>

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
    auto it = registrations_.find(fd);
    if (it != registrations_.end() && (it->second.d != d || events == 0)) {
      if (it->second.d == d) d->RemoveWatcher(this);
      Forget(fd);
      it = registrations_.end();
    }
    if (events == 0) return;
    if (it == registrations_.end()) {
      d->AddWatcher(this);
      it = registrations_.emplace(fd, Registration{d, 0, 0}).first;
    }
    it->second.events = events;
    Post(fd);
  }

  void Collect(std::vector<std::pair<int, unsigned>>* out, int max) override {
    // Packets that completed at the same instant are dequeued in an order the seed picks.
    std::vector<Packet> batch;
    while (!packets_.empty() && static_cast<int>(batch.size()) < max) {
      batch.push_back(packets_.front());
      packets_.pop_front();
    }
    size_t start = 0;
    while (start < batch.size()) {
      size_t end = start;
      while (end < batch.size() && batch[end].at == batch[start].at) ++end;
      for (size_t i = start; i + 1 < end; ++i) {
        const size_t pick = i + kernel_.chooser().Choose(Site::kReadyOrder, end - i);
        std::swap(batch[i], batch[pick]);
      }
      start = end;
    }
    for (const Packet& p : batch) {
      auto it = registrations_.find(p.fd);
      if (it == registrations_.end()) continue;
      it->second.outstanding &= ~p.events;
      out->emplace_back(p.fd, p.events);
      rearm_.insert(p.fd);
    }
    if (!packets_.empty()) kernel_.Signal(source_);
  }

  void AfterDispatch() override {
    std::set<int> fds;
    fds.swap(rearm_);
    for (int fd : fds) Post(fd);
  }

  SourceId source() const override { return source_; }

  bool TryWriteToPipes() const override { return false; }
  bool PipeConnectCompletesPending() const override { return true; }
  bool CountsZeroTimeoutPollEventsAsWaiting() const override { return true; }

 private:
  struct Registration {
    FileDescription* d;
    unsigned events;       // POLLIN / POLLOUT the loop waits for
    unsigned outstanding;  // operations posted and not yet dequeued as packets
  };
  struct Packet {
    int fd;
    unsigned events;
    int64_t at;
  };

  // Posts the operations the loop wants and that are not outstanding; those the kernel can satisfy now
  // complete at once.
  void Post(int fd) {
    auto it = registrations_.find(fd);
    if (it == registrations_.end()) return;
    Registration& r = it->second;
    const uint32_t level = r.d->Poll();
    unsigned now = 0;
    if ((r.events & POLLIN) && !(r.outstanding & POLLIN) && (level & (kPollIn | kPollErr | kPollHup | kPollRdHup))) {
      now |= POLLIN;
    }
    if ((r.events & POLLOUT) && !(r.outstanding & POLLOUT) && (level & (kPollOut | kPollErr | kPollHup))) {
      now |= POLLOUT;
    }
    for (unsigned bit : {static_cast<unsigned>(POLLIN), static_cast<unsigned>(POLLOUT)}) {
      if (!(now & bit)) continue;
      r.outstanding |= bit;
      packets_.push_back({fd, bit | ((level & kPollErr) ? static_cast<unsigned>(POLLERR) : 0u),
                          kernel_.clock().Now().ns});
      kernel_.Signal(source_);
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
    if (fd >= 0) Post(fd);
  }

  void OnRelease(FileDescription& d) override {
    const int fd = FdOf(d);
    if (fd >= 0) Forget(fd);
  }

  Kernel& kernel_;
  SourceId source_;
  std::map<int, Registration> registrations_;  // by fd; iterated only to find a description's fd
  std::deque<Packet> packets_;                 // the completion port's queue, in completion order
  std::set<int> rearm_;                        // fds whose packets were just delivered
};

}  // namespace

std::unique_ptr<Backend> NewIocpBackend(Kernel& kernel) { return std::make_unique<IocpBackend>(kernel); }

}  // namespace loopsim::uv
