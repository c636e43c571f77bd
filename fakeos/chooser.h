// The chooser: the one place where a nondeterministic decision is made. Every model in the kernel that
// could go more than one way (which ready event is delivered first, how long a callback or a piece of
// thread-pool work takes, whether a fault fires) asks the chooser, naming the decision site, and the
// chooser records the answer. The recorded answers, the decision log, are what replay and shrink work on.
//
// Answers are whole numbers in [0, n). By convention 0 is the plain choice (the first ready event, the
// shortest time, no fault), so a decision log cut short or shrunk falls back to plain behaviour.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "fakeos/base/prng.h"

namespace loopsim {

// Where a decision is made. The stream says which seeded stream answers it under a random walk.
enum class Site : uint8_t {
  kReadyOrder = 0,    // which of several ready events is delivered next   (kScheduler)
  kCpuCost = 1,       // virtual time a callback from the loop takes       (kCpu)
  kScriptCost = 2,    // virtual time the main script takes                 (kCpu)
  kWorkDuration = 3,  // how long a piece of thread-pool work runs          (kThreadPool)
  kFault = 4,         // whether a fault fires at a fault site              (kFaults)
  kNetDelay = 5,      // network latency / segmentation                     (kNetwork)
  kThread = 6,        // which of several runnable threads runs next        (kThreads)
  kCount = 7,
};

std::string_view SiteName(Site site);
Stream SiteStream(Site site);

struct Decision {
  Site site;
  uint64_t n;      // how many alternatives there were
  uint64_t value;  // which one was taken, < n

  bool operator==(const Decision&) const = default;
};

class Chooser {
 public:
  virtual ~Chooser() = default;
  // Returns a value in [0, n); n >= 1. With n == 1 nothing is recorded: there is no choice.
  uint64_t Choose(Site site, uint64_t n);
  const std::vector<Decision>& log() const { return log_; }
  // Moves the log out, leaving it empty.
  std::vector<Decision> TakeLog() { return std::exchange(log_, {}); }
  // Whether answers are recorded in the log (on unless turned off): a run whose log nobody reads (an
  // explorer's sweep, which reruns a seed from the seed alone) is spared a million of them.
  void set_logging(bool on) { logging_ = on; }

 protected:
  void ClearLog() { log_.clear(); }
  virtual uint64_t Decide(Site site, uint64_t n) = 0;
  // Another chooser's answer, without recording it in that chooser's log (a wrapper keeps the log).
  static uint64_t DecideFor(Chooser& other, Site site, uint64_t n) { return other.Decide(site, n); }

 private:
  std::vector<Decision> log_;
  bool logging_ = true;
};

// A chooser whose answers come from another one that can be replaced: the kernel reseeds for each seed
// (a zygote boots once, then takes its seed), while models made earlier keep a reference to the
// kernel's chooser. The slot's log is the log of the current inner chooser's run; the inner chooser
// keeps none of its own (a long run makes millions of decisions).
class ChooserSlot final : public Chooser {
 public:
  explicit ChooserSlot(std::unique_ptr<Chooser> inner) : inner_(std::move(inner)) {}
  // Replaces the inner chooser and starts a new log.
  void Reset(std::unique_ptr<Chooser> inner);

 protected:
  uint64_t Decide(Site site, uint64_t n) override { return DecideFor(*inner_, site, n); }

 private:
  std::unique_ptr<Chooser> inner_;
};

// Always the plain choice 0, recording nothing of consequence: for a model used where the platform
// itself fixes the order (e.g. epoll's ready list as libuv drains it), so the seed must not vary it.
class PlainChooser final : public Chooser {
 protected:
  uint64_t Decide(Site site, uint64_t n) override { return 0; }
};

// A seeded random walk: every site draws from its subsystem's stream of the master seed.
class RandomChooser final : public Chooser {
 public:
  explicit RandomChooser(uint64_t seed);

 protected:
  uint64_t Decide(Site site, uint64_t n) override;

 private:
  std::vector<Prng> streams_;
};

// Replays a recorded decision log. Where the run asks for a decision the log does not have at that
// position (past its end, or at another site or arity), the plain choice 0 is taken and the mismatch is
// counted, so a shrunk or hand-edited schedule still gives a complete, deterministic run.
// `on_misfit`, when set, hears the first decision the log has at another site or arity than the run
// asks for (the index in the log, what the log has, what the run asks) before the plain choice is taken:
// replaying a user's schedule stops there, as the schedule no longer describes the run. Asking past the
// log's end is no misfit: a prefix of a schedule (exhaustive exploration's) ends in the plain schedule.
class ReplayChooser final : public Chooser {
 public:
  using Misfit = std::function<void(size_t index, const Decision& logged, Site site, uint64_t n)>;
  explicit ReplayChooser(std::vector<Decision> schedule, Misfit on_misfit = nullptr);
  uint64_t mismatches() const { return mismatches_; }

 protected:
  uint64_t Decide(Site site, uint64_t n) override;

 private:
  std::vector<Decision> schedule_;
  Misfit on_misfit_;
  size_t next_ = 0;
  uint64_t mismatches_ = 0;
};

}  // namespace loopsim
