// Bounded exhaustive enumeration of a program's decision tree, for small programs. A schedule is a
// decision log; a run replays a prefix and takes the plain choice (0) at every decision past it, so each
// run is one path of the tree, and the path's log shows which alternatives it passed by.
//
// The order is by deviations: first the plain schedule (no deviation), then every schedule that deviates
// from the plain choice at exactly one decision, then at two, ... (iterative deviation bounding, as
// CHESS bounds preemptions): shallow bugs, the common kind, are found first, and a bound on deviations
// (--max-deviations) gives a meaningful "covered everything up to B". Each schedule is visited exactly
// once: a schedule with deviations at positions p1 < ... < pk is produced only by its parent with
// deviations p1 ... p(k-1), which places its next deviation past its own last one.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "fakeos/chooser.h"

namespace loopsim::sim {

class ScheduleTree {
 public:
  struct Item {
    std::vector<Decision> prefix;
    uint64_t deviations = 0;
  };

  explicit ScheduleTree(std::optional<uint64_t> max_deviations) : max_deviations_(max_deviations) {}

  // The next schedule to run; false when there is none until the runs handed out are reported (or
  // none at all: exhausted()).
  bool Next(Item* item);
  // The full decision log of the run of `item`; adds the schedules that extend it.
  void Report(const Item& item, const std::vector<Decision>& log);

  // Every schedule within the bound was handed out and reported.
  bool exhausted() const { return started_ && outstanding_ == 0 && current_.empty() && next_.empty(); }
  // Exhausted, and the bound left nothing out: every path of the tree was run.
  bool covered_all() const { return exhausted() && !cut_; }
  uint64_t level() const { return level_; }

 private:
  // Lazily generates the children of one run: deviations at positions j >= from, values 1..n-1.
  struct Generator {
    std::shared_ptr<const std::vector<Decision>> log;
    size_t j;
    uint64_t v;
    uint64_t deviations;
  };

  std::optional<uint64_t> max_deviations_;
  bool started_ = false;
  uint64_t outstanding_ = 0;  // handed out, not reported yet
  bool cut_ = false;
  uint64_t level_ = 0;
  std::deque<Generator> current_, next_;
};

}  // namespace loopsim::sim
