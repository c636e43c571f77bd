// The kqueue personality, as libuv's src/unix/kqueue.c (1.44) uses kqueue on macOS and the BSDs: one
// level-triggered knote per filter (EVFILT_READ for POLLIN, EVFILT_WRITE for POLLOUT), added and deleted
// as a watcher's events change, and — unlike epoll — one callback per reported knote: a descriptor that
// is readable and writable gets two callbacks in one poll phase.
// EV_EOF on the read filter is reported as readability (the read then sees the end of file), EV_ERROR
// as POLLERR. A read knote's `data` (for a listener, the connections waiting) is kept as libuv keeps it
// in the watcher's rcount, which bounds a listener's accepts per report up to libuv 1.44
// (ReportedReadCount). Readiness itself is fakeos's kqueue model.
#include <poll.h>

#include <map>

#include "runtime/uv/backend.h"

namespace loopsim::uv {

namespace {

class KqueueBackend final : public Backend {
 public:
  explicit KqueueBackend(Kernel& kernel)
      : kernel_(kernel),
        source_(kernel.NewSource()),
        kqueue_(plain_,
                Kqueue::Options{[&kernel](uint64_t fd) { return kernel.vfs().Description(static_cast<int>(fd)); },
                                [this] { kernel_.Signal(source_); },
                                {}}) {}
  ~KqueueBackend() override { kernel_.CloseSource(source_); }

  void Update(int fd, FileDescription* d, unsigned events) override {
    // A registration of another object under a reused fd number went away with that object.
    auto it = registered_.find(fd);
    const unsigned old = it != registered_.end() && it->second.first == d ? it->second.second : 0;
    KEvent changes[2];
    int n = 0;
    auto change = [&](unsigned bit, KFilter filter) {
      if ((old & bit) == (events & bit)) return;
      changes[n].ident = static_cast<uint64_t>(fd);
      changes[n].filter = filter;
      changes[n].flags = (events & bit) ? kEvAdd : kEvDelete;
      ++n;
    };
    change(POLLIN, KFilter::kRead);
    change(POLLOUT, KFilter::kWrite);
    if (n > 0) kqueue_.Kevent(changes, n, nullptr, 0);
    if (!(events & POLLIN)) read_counts_.erase(fd);
    if (events == 0) {
      registered_.erase(fd);
    } else {
      registered_[fd] = {d, events};
    }
  }

  void Collect(std::vector<std::pair<int, unsigned>>* out, int max) override {
    std::vector<KEvent> events(static_cast<size_t>(max));
    const int n = kqueue_.Kevent(nullptr, 0, events.data(), max);
    for (int i = 0; i < n; ++i) {
      const KEvent& ev = events[static_cast<size_t>(i)];
      unsigned revents = 0;
      if (ev.flags & kEvError) revents |= POLLERR;
      else if (ev.filter == KFilter::kRead) revents |= POLLIN;
      else if (ev.filter == KFilter::kWrite) revents |= POLLOUT;
      if (revents == POLLIN) read_counts_[static_cast<int>(ev.ident)] = ev.data;
      if (revents != 0) out->emplace_back(static_cast<int>(ev.ident), revents);
    }
  }

  SourceId source() const override { return source_; }

  int64_t ReportedReadCount(int fd) const override {
    auto it = read_counts_.find(fd);
    return it != read_counts_.end() ? it->second : -1;
  }

 private:
  Kernel& kernel_;
  SourceId source_;
  PlainChooser plain_;  // kevent reports knotes in activation order; the seed varies when, not this
  Kqueue kqueue_;
  std::map<int, std::pair<FileDescription*, unsigned>> registered_;  // fd -> (object, events); by fd only
  std::map<int, int64_t> read_counts_;  // fd -> `data` of its last reported read knote; by fd only
};

}  // namespace

std::unique_ptr<Backend> NewKqueueBackend(Kernel& kernel) { return std::make_unique<KqueueBackend>(kernel); }

}  // namespace loopsim::uv
