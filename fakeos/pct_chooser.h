// A PCT-style chooser (after Burckhardt et al., "A Randomized Scheduler with Probabilistic Guarantees of
// Finding Bugs", 2010), adapted to loopsim's decision log. PCT observes that most concurrency bugs need
// only a few ordering constraints (the bug's depth d) and runs the plain priority schedule except at d
// randomly placed priority change points. Here the plain schedule is choice 0 at every decision (the
// first ready event, the shortest time), and a run deviates from it at exactly `depth` change points,
// drawn uniformly and without repetition among the first `horizon` decisions; at a change point it takes
// a uniformly drawn non-plain alternative. A bug that needs d particular deviations within the horizon is
// then hit with probability at least 1 / (horizon^d * n^d) per seed (n: alternatives at those decisions),
// independently of how long the program runs after them, where a random walk's odds shrink with every
// decision it must leave alone.
//
// Everything is drawn from the seed, so `run --strategy pct --pct-depth D --pct-horizon K --seed N`
// replays a seed exactly; every answer is also recorded in the decision log as with any chooser.
#pragma once

#include <cstdint>
#include <vector>

#include "fakeos/base/prng.h"
#include "fakeos/chooser.h"

namespace loopsim {

class PctChooser final : public Chooser {
 public:
  // depth: how many change points (0 = the plain schedule); horizon: how many leading decisions they are
  // placed among (an estimate of the program's decision count; at least 1). depth is capped at horizon.
  PctChooser(uint64_t seed, uint32_t depth, uint64_t horizon);

  // The decision indices where this run deviates, ascending.
  const std::vector<uint64_t>& change_points() const { return change_points_; }

 protected:
  uint64_t Decide(Site site, uint64_t n) override;

 private:
  Prng rng_;
  std::vector<uint64_t> change_points_;
  size_t next_change_ = 0;
  uint64_t index_ = 0;  // index of the next decision with a choice
};

}  // namespace loopsim
