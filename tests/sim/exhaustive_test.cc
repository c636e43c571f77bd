// The exhaustive strategy's enumeration, on model programs whose decision trees are known: every path is
// run exactly once, fewer deviations first, and coverage is claimed only when it is true.
#include "sim/exhaustive.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

namespace loopsim::sim {
namespace {

// A model program: runs with a replayed prefix and plain choices past it, as `run --schedule` does, and
// returns the decision log. `shape` says how many alternatives decision i has, given the values so far
// (0 = the run ends).
using Shape = std::function<uint64_t(const std::vector<Decision>& so_far)>;

std::vector<Decision> RunModel(const Shape& shape, const std::vector<Decision>& prefix) {
  std::vector<Decision> log;
  for (;;) {
    const uint64_t n = shape(log);
    if (n == 0) return log;
    const uint64_t v = log.size() < prefix.size() ? prefix[log.size()].value : 0;
    log.push_back({Site::kCpuCost, n, v});
  }
}

std::vector<uint64_t> Values(const std::vector<Decision>& log) {
  std::vector<uint64_t> v;
  for (const Decision& d : log) v.push_back(d.value);
  return v;
}

// Runs the whole enumeration; returns the paths in the order run.
std::vector<std::vector<uint64_t>> Enumerate(ScheduleTree& tree, const Shape& shape, size_t batch) {
  std::vector<std::vector<uint64_t>> paths;
  for (;;) {
    std::vector<ScheduleTree::Item> items;
    ScheduleTree::Item item;
    while (items.size() < batch && tree.Next(&item)) items.push_back(item);
    if (items.empty()) return paths;
    for (const ScheduleTree::Item& it : items) {
      const std::vector<Decision> log = RunModel(shape, it.prefix);
      paths.push_back(Values(log));
      tree.Report(it, log);
    }
  }
}

size_t NonZero(const std::vector<uint64_t>& v) {
  size_t n = 0;
  for (uint64_t x : v) n += x != 0;
  return n;
}

TEST(ScheduleTree, RunsEveryPathOfAFixedTreeExactlyOnceFewerDeviationsFirst) {
  // Three decisions of 2, 3 and 2 alternatives: 12 paths.
  const Shape shape = [](const std::vector<Decision>& so_far) -> uint64_t {
    static const uint64_t kArity[] = {2, 3, 2};
    return so_far.size() < 3 ? kArity[so_far.size()] : 0;
  };
  for (size_t batch : {1, 4, 7}) {
    ScheduleTree tree(std::nullopt);
    const auto paths = Enumerate(tree, shape, batch);
    EXPECT_EQ(paths.size(), 12u) << "batch " << batch;
    EXPECT_EQ(std::set<std::vector<uint64_t>>(paths.begin(), paths.end()).size(), paths.size());
    for (size_t i = 1; i < paths.size(); ++i) EXPECT_LE(NonZero(paths[i - 1]), NonZero(paths[i]));
    EXPECT_TRUE(tree.covered_all());
  }
}

TEST(ScheduleTree, FollowsTreesWhoseShapeDependsOnEarlierChoices) {
  // Taking alternative 1 first adds two more binary decisions; 0 ends the run: paths 0, 1-0-0, 1-0-1,
  // 1-1-0, 1-1-1.
  const Shape shape = [](const std::vector<Decision>& so_far) -> uint64_t {
    if (so_far.empty()) return 2;
    if (so_far[0].value == 0) return 0;
    return so_far.size() < 3 ? 2 : 0;
  };
  ScheduleTree tree(std::nullopt);
  const auto paths = Enumerate(tree, shape, 3);
  EXPECT_EQ(paths.size(), 5u);
  EXPECT_EQ(std::set<std::vector<uint64_t>>(paths.begin(), paths.end()).size(), 5u);
  EXPECT_TRUE(tree.covered_all());
}

TEST(ScheduleTree, ADeviationBoundCoversItsLevelsButNotTheWholeTree) {
  const Shape shape = [](const std::vector<Decision>& so_far) -> uint64_t { return so_far.size() < 4 ? 3 : 0; };
  ScheduleTree tree(1);
  const auto paths = Enumerate(tree, shape, 5);
  // The plain path and 2 alternatives at each of 4 decisions.
  EXPECT_EQ(paths.size(), 1u + 4 * 2);
  EXPECT_TRUE(tree.exhausted());
  EXPECT_FALSE(tree.covered_all());
}

TEST(ScheduleTree, AProgramWithoutDecisionsIsCoveredByOneRun) {
  ScheduleTree tree(std::nullopt);
  const auto paths = Enumerate(tree, [](const std::vector<Decision>&) -> uint64_t { return 0; }, 4);
  EXPECT_EQ(paths.size(), 1u);
  EXPECT_TRUE(tree.covered_all());
}

TEST(ScheduleTree, IsNotExhaustedWhileHandedOutRunsAreUnreported) {
  ScheduleTree tree(std::nullopt);
  ScheduleTree::Item root, next;
  ASSERT_TRUE(tree.Next(&root));
  EXPECT_FALSE(tree.Next(&next)) << "nothing is known past the root before it is reported";
  EXPECT_FALSE(tree.exhausted());
  tree.Report(root, {{Site::kCpuCost, 2, 0}});
  ASSERT_TRUE(tree.Next(&next));
  EXPECT_EQ(next.prefix, (std::vector<Decision>{{Site::kCpuCost, 2, 1}}));
}

}  // namespace
}  // namespace loopsim::sim
