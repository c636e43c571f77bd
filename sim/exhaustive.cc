// See exhaustive.h.
#include "sim/exhaustive.h"

namespace loopsim::sim {

bool ScheduleTree::Next(Item* item) {
  if (!started_) {
    started_ = true;
    *item = Item{};
    ++outstanding_;
    return true;
  }
  for (;;) {
    if (current_.empty()) {
      if (next_.empty()) return false;
      current_.swap(next_);
      ++level_;
    }
    Generator& g = current_.front();
    if (g.j >= g.log->size()) {
      current_.pop_front();
      continue;
    }
    const Decision& d = (*g.log)[g.j];
    if (g.v >= d.n) {
      ++g.j;
      g.v = 1;
      continue;
    }
    item->prefix.assign(g.log->begin(), g.log->begin() + static_cast<ptrdiff_t>(g.j));
    // Positions before j in the parent's log past its own prefix are plain choices already.
    item->prefix.push_back({d.site, d.n, g.v});
    item->deviations = g.deviations;
    ++g.v;
    ++outstanding_;
    return true;
  }
}

void ScheduleTree::Report(const Item& item, const std::vector<Decision>& log) {
  --outstanding_;
  const size_t from = item.prefix.size();
  if (from >= log.size()) return;
  const uint64_t child_deviations = item.deviations + 1;
  if (max_deviations_ && child_deviations > *max_deviations_) {
    cut_ = true;
    return;
  }
  Generator g{std::make_shared<const std::vector<Decision>>(log), from, 1, child_deviations};
  // A batch of runs may straddle a level boundary: children join the level they belong to, which is the
  // one being handed out now or the one after it.
  (child_deviations == level_ ? current_ : next_).push_back(std::move(g));
}

}  // namespace loopsim::sim
