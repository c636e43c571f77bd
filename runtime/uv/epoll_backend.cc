// The epoll personality, as libuv's src/unix/linux.c (1.44) uses epoll: level-triggered registrations
// (no EPOLLET, no EPOLLONESHOT) changed with EPOLL_CTL_ADD/MOD/DEL as a watcher's events change, and
// waits of up to 1024 events, handled in ready-list order. Readiness itself is fakeos's epoll model.
#include <sys/epoll.h>

#include <map>

#include "runtime/uv/backend.h"

namespace loopsim::uv {

namespace {

class EpollBackend final : public Backend {
 public:
  explicit EpollBackend(Kernel& kernel)
      : kernel_(kernel), source_(kernel.NewSource()), epoll_(plain_, Epoll::Options{
                                                          [this] { kernel_.Signal(source_); }, {}}) {}
  ~EpollBackend() override { kernel_.CloseSource(source_); }

  void Update(int fd, FileDescription* d, unsigned events) override {
    auto it = registered_.find(fd);
    if (events == 0) {
      if (it != registered_.end()) {
        if (it->second == d) epoll_.Ctl(EPOLL_CTL_DEL, fd, d, nullptr);
        registered_.erase(it);
      }
      return;
    }
    EpollEvent ev{events, static_cast<uint64_t>(fd)};
    if (it != registered_.end() && it->second != d) {
      // The fd number was reused for another object: the old registration went with its description.
      registered_.erase(it);
      it = registered_.end();
    }
    if (it == registered_.end()) {
      epoll_.Ctl(EPOLL_CTL_ADD, fd, d, &ev);
      registered_[fd] = d;
    } else {
      epoll_.Ctl(EPOLL_CTL_MOD, fd, d, &ev);
    }
  }

  void Collect(std::vector<std::pair<int, unsigned>>* out, int max) override {
    std::vector<EpollEvent> events(static_cast<size_t>(max));
    const int n = epoll_.Wait(events.data(), max);
    for (int i = 0; i < n; ++i) out->emplace_back(static_cast<int>(events[i].data), events[i].events);
  }

  SourceId source() const override { return source_; }
  bool AcceptsIoUringSqpoll() const override { return true; }
  bool HasAbstractSocketNamespace() const override { return true; }
  bool SharesPortsWithReusePort() const override { return true; }

 private:
  Kernel& kernel_;
  SourceId source_;
  // epoll_wait reports a ready list in the order its entries became ready; libuv handles them in that
  // order. What varies with the seed is when things become ready, not this order.
  PlainChooser plain_;
  Epoll epoll_;
  std::map<int, FileDescription*> registered_;  // looked up by fd only
};

}  // namespace

std::unique_ptr<Backend> NewEpollBackend(Kernel& kernel) { return std::make_unique<EpollBackend>(kernel); }

}  // namespace loopsim::uv
