// See epoll.h.
#include "fakeos/epoll.h"

#include <algorithm>
#include <cerrno>

#include "fakeos/base/check.h"

namespace loopsim {

namespace {

// Flags that steer a registration rather than name an event.
constexpr uint32_t kControlBits = EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP;

uint32_t ToEpoll(uint32_t bits) {
  uint32_t out = 0;
  if (bits & kPollIn) out |= EPOLLIN;
  if (bits & kPollOut) out |= EPOLLOUT;
  if (bits & kPollRdHup) out |= EPOLLRDHUP;
  if (bits & kPollErr) out |= EPOLLERR;
  if (bits & kPollHup) out |= EPOLLHUP;
  return out;
}

}  // namespace

struct Epoll::Item final : FileDescription::Watcher {
  Epoll* epoll = nullptr;
  Key key;                          // where items_ holds it; the pointer is never followed
  FileDescription* desc = nullptr;  // null once the description is released
  uint32_t events = 0;  // what was asked for, plus EPOLLERR|EPOLLHUP; only control bits once disarmed
  uint64_t data = 0;
  bool queued = false;  // on the ready list

  void OnWake(FileDescription&, uint32_t bits) override {
    // A disarmed one-shot registration, or an event nobody asked for, changes nothing (as in Linux).
    if ((events & ~kControlBits) == 0) return;
    if ((ToEpoll(bits) & events) == 0) return;
    epoll->ready_.Add(*this);
  }
  void OnRelease(FileDescription&) override {
    desc = nullptr;  // the description is gone: do not unregister from it
    epoll->Remove(*this);
  }
};

Epoll::Epoll(Chooser& chooser, Options options)
    : options_(std::move(options)), ready_(chooser, options_.on_ready, options_.mutations.order_ignores_chooser) {}

Epoll::~Epoll() {
  for (auto& [key, item] : items_) item->desc->RemoveWatcher(item.get());
}

uint32_t Epoll::Level(const Item& item) const { return ToEpoll(item.desc->Poll()) & item.events; }

void Epoll::Remove(Item& item) {
  ready_.Remove(item);
  if (item.desc) item.desc->RemoveWatcher(&item);
  LS_CHECK(items_.erase(Key(item.key)) == 1);
}

int Epoll::Ctl(int op, int fd, FileDescription* d, const EpollEvent* event) {
  if (d == nullptr) return -EBADF;
  const Key key{fd, d};
  auto it = items_.find(key);
  switch (op) {
    case EPOLL_CTL_ADD: {
      if (event == nullptr) return -EFAULT;
      if (it != items_.end()) return -EEXIST;
      auto item = std::make_unique<Item>();
      item->epoll = this;
      item->key = key;
      item->desc = d;
      item->events = event->events | EPOLLERR | EPOLLHUP;
      item->data = event->data;
      Item& ref = *item;
      items_.emplace(key, std::move(item));
      d->AddWatcher(&ref);
      if (Level(ref) != 0) ready_.Add(ref);
      return 0;
    }
    case EPOLL_CTL_MOD: {
      if (event == nullptr) return -EFAULT;
      if (it == items_.end()) return -ENOENT;
      Item& item = *it->second;
      item.events = event->events | EPOLLERR | EPOLLHUP;
      item.data = event->data;
      if (Level(item) != 0) ready_.Add(item);
      return 0;
    }
    case EPOLL_CTL_DEL:
      if (it == items_.end()) return -ENOENT;
      Remove(*it->second);
      return 0;
    default:
      return -EINVAL;
  }
}

void Epoll::PruneReady() {
  // A registration whose description is no longer ready would be skipped by epoll_wait; drop it now so
  // that the choice of order is made only among registrations that will really be reported.
  ready_.Prune([this](const Item& item) { return Level(item) != 0; });
}

bool Epoll::HasReady() {
  PruneReady();
  return !ready_.empty();
}

int Epoll::Wait(EpollEvent* events, int maxevents) {
  if (maxevents <= 0) return -EINVAL;
  const TestMutations& m = options_.mutations;
  PruneReady();
  std::vector<Item*> requeue;
  int n = 0;
  while (n < maxevents && !ready_.empty()) {
    Item* item = &ready_.TakeNext();
    const uint32_t level = Level(*item);
    LS_CHECK(level != 0);  // pruned above, and nothing runs between
    const bool dropped = m.drop_every_7th_event && ++reported_ % 7 == 0;
    if (!dropped) {
      events[n++] = EpollEvent{level, item->data};
      if (m.duplicate_events && n < maxevents) events[n++] = EpollEvent{level, item->data};
    }
    const bool oneshot = (item->events & EPOLLONESHOT) != 0;
    const bool edge = (item->events & EPOLLET) != 0;
    if (oneshot && !m.oneshot_stays_armed) {
      item->events &= kControlBits;
    } else if (edge ? m.edge_rearms : !m.level_reports_once) {
      // Level-triggered: back on the ready list so the next Wait looks at it again (after this one, so
      // it is not reported twice in one call).
      requeue.push_back(item);
    }
  }
  for (Item* item : requeue) ready_.Add(*item);
  return n;
}

}  // namespace loopsim
