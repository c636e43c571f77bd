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

// A registration, keyed by (descriptor number, description); the key's pointer is never followed.
struct Epoll::Item final : Registrations<Key, Item>::Registration {
  uint32_t events = 0;  // what was asked for, plus EPOLLERR|EPOLLHUP; only control bits once disarmed
  uint64_t data = 0;

  void OnWake(FileDescription&, uint32_t bits) override {
    // A disarmed one-shot registration, or an event nobody asked for, changes nothing (as in Linux).
    if ((events & ~kControlBits) == 0) return;
    if ((ToEpoll(bits) & events) == 0) return;
    registrations->Ready(*this);
  }
};

Epoll::Epoll(Chooser& chooser, Options options)
    : options_(std::move(options)), items_(chooser, options_.on_ready, options_.mutations.order_ignores_chooser) {}

uint32_t Epoll::Level(const Item& item) const { return ToEpoll(item.desc->Poll()) & item.events; }

int Epoll::Ctl(int op, int fd, FileDescription* d, const EpollEvent* event) {
  if (d == nullptr) return -EBADF;
  const Key key{fd, d};
  Item* found = items_.Find(key);
  switch (op) {
    case EPOLL_CTL_ADD: {
      if (event == nullptr) return -EFAULT;
      if (found != nullptr) return -EEXIST;
      Item& item = items_.Add(key, d);
      item.events = event->events | EPOLLERR | EPOLLHUP;
      item.data = event->data;
      if (Level(item) != 0) items_.Ready(item);
      return 0;
    }
    case EPOLL_CTL_MOD: {
      if (event == nullptr) return -EFAULT;
      if (found == nullptr) return -ENOENT;
      found->events = event->events | EPOLLERR | EPOLLHUP;
      found->data = event->data;
      if (Level(*found) != 0) items_.Ready(*found);
      return 0;
    }
    case EPOLL_CTL_DEL:
      if (found == nullptr) return -ENOENT;
      items_.Remove(*found);
      return 0;
    default:
      return -EINVAL;
  }
}

void Epoll::PruneReady() {
  // A registration whose description is no longer ready would be skipped by epoll_wait; drop it now so
  // that the choice of order is made only among registrations that will really be reported.
  items_.Prune([this](const Item& item) { return Level(item) != 0; });
}

bool Epoll::HasReady() {
  PruneReady();
  return !items_.none_ready();
}

int Epoll::Wait(EpollEvent* events, int maxevents) {
  if (maxevents <= 0) return -EINVAL;
  const TestMutations& m = options_.mutations;
  PruneReady();
  std::vector<Item*> requeue;
  int n = 0;
  while (n < maxevents && !items_.none_ready()) {
    Item* item = &items_.TakeNext();
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
  for (Item* item : requeue) items_.Ready(*item);
  return n;
}

}  // namespace loopsim
