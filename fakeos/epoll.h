// The epoll model: one epoll instance over virtual file descriptions, behaving as Linux's does where
// libuv can tell. It keeps an interest list keyed by (descriptor number, description) and a ready list
// of registrations that saw an event, and follows Linux's rules:
//   - EPOLLERR and EPOLLHUP are always reported; EPOLLRDHUP only when asked for.
//   - A registration joins the ready list when its description wakes with an event it is interested in
//     (or, on ADD and MOD, when the description is already ready).
//   - Wait reports at most `maxevents` registrations, each once per call, with the bits of its level now.
//     Level-triggered ones go back on the ready list and are reported again while still ready;
//     edge-triggered ones (EPOLLET) only after the next wake; EPOLLONESHOT ones are disarmed until MOD.
//     Registrations left over by maxevents stay ready for the next Wait.
//   - Closing the last descriptor of a description removes its registrations silently.
// Which of several ready registrations is reported first is the chooser's (Site::kReadyOrder).
//
// Wait never blocks: the loop blocks in Kernel::Poll on a source it signals from `on_ready`, which the
// model calls whenever a registration becomes ready (as a real epoll instance wakes its waiters).
//
// Fault model: none; faults come from the descriptions it watches (spurious wake-ups included, since
// a reported event may find nothing to read, as on Linux).
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "fakeos/chooser.h"
#include "fakeos/file_description.h"
#include "fakeos/registrations.h"

namespace loopsim {

struct EpollEvent {
  uint32_t events = 0;
  uint64_t data = 0;
};

class Epoll {
 public:
  // Test-only ways to break the rules the property tests check. Never set outside tests.
  struct TestMutations {
    bool drop_every_7th_event = false;     // loses events
    bool duplicate_events = false;         // reports every event twice in one Wait
    bool level_reports_once = false;       // level-triggered registrations behave as edge-triggered
    bool edge_rearms = false;              // edge-triggered registrations behave as level-triggered
    bool oneshot_stays_armed = false;      // EPOLLONESHOT does not disarm
    bool order_ignores_chooser = false;    // ready order from a process-wide counter, not the seed
  };
  struct Options {
    // Called when a registration becomes ready; the loop signals its kernel source from here.
    std::function<void()> on_ready;
    TestMutations mutations;
  };

  Epoll(Chooser& chooser, Options options);
  Epoll(const Epoll&) = delete;
  Epoll& operator=(const Epoll&) = delete;

  // epoll_ctl: op is EPOLL_CTL_ADD, EPOLL_CTL_MOD or EPOLL_CTL_DEL; `event` is ignored for DEL.
  // Returns 0, -EEXIST, -ENOENT, -EINVAL or -EBADF (no description).
  int Ctl(int op, int fd, FileDescription* d, const EpollEvent* event);
  // epoll_wait without blocking: fills up to maxevents events and returns how many, or -EINVAL.
  int Wait(EpollEvent* events, int maxevents);
  // True if Wait would report something now.
  bool HasReady();
  size_t interest_count() const { return items_.size(); }

 private:
  struct Item;
  using Key = std::pair<int, const FileDescription*>;

  uint32_t Level(const Item& item) const;
  void PruneReady();

  Options options_;
  Registrations<Key, Item> items_;  // the interest list, and the ready list
  uint64_t reported_ = 0;     // events reported so far (drives drop_every_7th_event)
};

}  // namespace loopsim
