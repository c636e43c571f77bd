// The virtual kernel: the one header through which the simulated loop (runtime/) sees its operating
// system. It owns the virtual clock, the chooser, the file system, the thread-pool model, readiness
// sources and entropy, all decided by one seed. It knows nothing of V8 or libuv.
//
// Readiness: a Source is an eventfd-like object the loop waits on. It becomes ready when signalled (now,
// or from a kernel event at a future virtual instant). Poll() returns the ready sources, in an order the
// chooser decides, and when none is ready it moves the clock to the next kernel event, as a blocked
// epoll_wait would sleep until then.
//
// Fault model: the kernel holds the run's fault profile (faults(), replaced by Reseed and emptied by
// FreezeChoices) but fires nothing itself: clock, sources, Poll and the thread pool never fail. The fault
// sites are the network's (net.h: socket calls and packets leaving a host) and the disk's, which the
// loop's asynchronous fs requests check (runtime/uv/fs.cc) so that Node's synchronous module loading
// never meets a fault.
//
// The boundary. runtime/ includes nothing of fakeos but this header and the shared leaf (fakeos/base/:
// assertions, PRNG, time, trace); fakeos/ includes nothing of runtime/ or sim/; ci/check-layers holds
// the tree to both. So what this header includes is, deliberately, everything the kernel offers above
// it: the objects it hands out (file descriptions, pipes, sockets, the file system, the thread pool,
// clock and host facts); the chooser interface with the choosers a host installs for a seed (random and
// replay in chooser.h, PCT in pct_chooser.h) and the decision log's file format, which a host writes as
// its run record (schedule.h); the fault profile; and the readiness models the loop's backends drive
// (epoll.h, kqueue.h), as a real kernel offers epoll_wait and kevent.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "fakeos/base/prng.h"
#include "fakeos/base/time.h"
#include "fakeos/chooser.h"
#include "fakeos/clock.h"
#include "fakeos/epoll.h"
#include "fakeos/faults.h"
#include "fakeos/host.h"
#include "fakeos/kqueue.h"
#include "fakeos/net.h"
#include "fakeos/pct_chooser.h"
#include "fakeos/pipe.h"
#include "fakeos/schedule.h"
#include "fakeos/thread_pool.h"
#include "fakeos/vfs.h"

namespace loopsim {

using SourceId = uint32_t;

class Kernel {
 public:
  struct Options {
    uint64_t seed = 0;
    // Decides every nondeterministic choice; a RandomChooser on the seed when null.
    std::unique_ptr<Chooser> chooser;
    HostFacts host;
    Vfs::Options vfs;
    int thread_pool_size = 4;
    Network::Options net;  // its `faults` is set by the kernel
    // The network's other hosts (loopsim --host), in order: hosts 1, 2, ... with their addresses. One
    // named as the program's own host (host.hostname) gives host 0 these addresses instead.
    std::vector<std::pair<std::string, std::vector<IpAddr>>> hosts;
    FaultProfile faults = FaultProfile::None();
  };

  explicit Kernel(Options options);
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  uint64_t seed() const { return seed_; }
  Clock& clock() { return clock_; }
  // Stable for the kernel's lifetime: reseeding replaces what answers behind it.
  ChooserSlot& chooser() { return chooser_; }
  Vfs& vfs() { return vfs_; }
  ThreadPool& thread_pool() { return pool_; }
  Network& net() { return *net_; }
  Faults& faults() { return *faults_; }
  const HostFacts& host() const { return host_; }

  // Starts a new seed on a kernel that has already been used, keeping everything else it holds (file
  // system, readiness sources, clock): the seed, its chooser, its fault profile (whose swarm decisions
  // are then the new chooser's first fault answers) and its entropy stream are replaced. The Node host
  // boots Node once under a boot seed without faults and then reseeds the same kernel for the seed that
  // runs, in one process or in each child of a zygote. Nothing may be in flight.
  void Reseed(uint64_t seed, std::unique_ptr<Chooser> chooser, const FaultProfile& faults);
  // From now on every decision is the plain one and no fault fires: what a host does once the program
  // is over (tearing itself down) is the same for every seed. The decisions made so far stay in the
  // log the caller read before.
  void FreezeChoices();

  // Readiness sources.
  SourceId NewSource();
  void CloseSource(SourceId id);
  void Signal(SourceId id);

  // Runs fn when the clock reaches `when` (events at the same instant run in the order they were added).
  void At(Nanos when, std::function<void()> fn);

  // Waits for ready sources. timeout: 0 = do not wait, < 0 = wait as long as it takes, else at most that
  // long. Returns the ready sources (each once, in chooser order) and clears their readiness. When asked
  // to wait forever with nothing that could ever become ready, returns empty with *deadlock set.
  std::vector<SourceId> Poll(Nanos timeout, bool wait_forever, bool* deadlock);

  // Waiting for a few of the sources only, for a process with several loops (one per thread), where
  // a scheduler above the kernel decides which thread waits and which runs (runtime/uv/threads.h):
  // runs the kernel events that are due; whether a source is ready; the instant of the next kernel
  // event; and the ready sources among `among` (each once, in chooser order; their readiness cleared),
  // leaving the others ready.
  void RunDueEvents();
  bool IsReady(SourceId id) const;
  std::optional<Nanos> NextEventTime() const;
  std::vector<SourceId> TakeReadyAmong(const std::vector<SourceId>& among);

  // True if some kernel event is still to come (work in flight, a pending timer of the kernel).
  bool HasPendingEvents() const { return !events_.empty(); }
  // True while one of the kernel's own events runs (a packet arriving over a link, a timeout), false
  // inside the program's calls. What such events wake at one instant happened concurrently, as far as
  // the program can tell; what the program's calls wake happened in the order of the calls.
  bool InEvent() const { return in_event_; }

  // Fills buf with entropy from the seed's entropy stream.
  void Entropy(void* buf, size_t len);

 private:
  static Network::Options WithFaults(Network::Options options, Faults* faults);
  std::vector<SourceId> TakeReady();
  std::vector<SourceId> Deliver(std::vector<SourceId> pending);

  uint64_t seed_;
  Clock clock_;
  ChooserSlot chooser_;
  // Right after the chooser: its swarm decisions are the first fault answers of a run. Optional only so
  // that Reseed can rebuild it in place (the network keeps its address).
  std::optional<Faults> faults_;
  HostFacts host_;
  Vfs vfs_;
  ThreadPool pool_;
  Prng entropy_;
  std::unique_ptr<Network> net_;  // built last: it schedules on this kernel
  struct Event {
    std::function<void()> fn;
  };
  std::map<std::pair<int64_t, uint64_t>, Event> events_;  // (due ns, sequence) -> event
  uint64_t event_seq_ = 0;
  bool in_event_ = false;
  SourceId next_source_ = 1;
  std::map<SourceId, bool> sources_;  // id -> ready
  std::vector<SourceId> ready_order_;   // ready sources in the order they became ready
};

}  // namespace loopsim
