// See pct_chooser.h.
#include "fakeos/pct_chooser.h"

#include <algorithm>

#include "fakeos/base/check.h"

namespace loopsim {

namespace {

// Separates the PCT draws from every stream of the same master seed (StreamSeed mixes in small
// constants; this one is far from them).
constexpr uint64_t kPctDomain = 0x7063742d63686f6fULL;  // "pct-choo"

}  // namespace

PctChooser::PctChooser(uint64_t seed, uint32_t depth, uint64_t horizon) : rng_(seed ^ kPctDomain) {
  LS_CHECK(horizon >= 1);
  const uint64_t points = std::min<uint64_t>(depth, horizon);
  // Draw `points` distinct indices in [0, horizon): Floyd's algorithm keeps it O(points) for any horizon.
  for (uint64_t j = horizon - points; j < horizon; ++j) {
    const uint64_t t = rng_.Below(j + 1);
    if (std::find(change_points_.begin(), change_points_.end(), t) == change_points_.end()) {
      change_points_.push_back(t);
    } else {
      change_points_.push_back(j);
    }
  }
  std::sort(change_points_.begin(), change_points_.end());
}

uint64_t PctChooser::Decide(Site site, uint64_t n) {
  LS_CHECK(n >= 2);
  const uint64_t index = index_++;
  if (next_change_ < change_points_.size() && change_points_[next_change_] == index) {
    ++next_change_;
    return 1 + rng_.Below(n - 1);
  }
  return 0;
}

}  // namespace loopsim
