// The node binaries the tests run programs under, and a way to run many seeds of one program under one of
// them cheaply: ci/cmake/LoopsimNodes.cmake finds the nodes (Debian's 18, the machine's 20, the official
// 22, 24 and 26 ci/setup fetches) and hands them to the tests as LOOPSIM_NODES_LIST ("MAJOR=PATH,...");
// SeedsOf runs a program's seeds through the explorer's zygote runner (one node boot, recycled children),
// which gives what `loopsim run` gives for each seed.
#ifndef LOOPSIM_TESTS_CONFORMANCE_MATRIX_H_
#define LOOPSIM_TESTS_CONFORMANCE_MATRIX_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "expected.h"
#include "sim/seed_runner.h"

namespace loopsim::testing {

struct TestNode {
  int major = 0;
  std::string path;
  NodeVersion version;  // what the binary says it is
};

// Every node of the matrix, ascending by major; empty if none was found at configure time.
const std::vector<TestNode>& TestNodes();

// The name of a test parameterized by a node of the matrix: "node22".
inline std::string NodeName(const ::testing::TestParamInfo<TestNode>& node) {
  return "node" + std::to_string(node.param.major);
}

// Runs every TEST_P of the fixture `suite` (parameterized by a TestNode) under each node of the matrix,
// named by NodeName; a machine without nodes runs none, which is not an error.
#define LOOPSIM_TEST_ON_EVERY_NODE(suite)                                                      \
  INSTANTIATE_TEST_SUITE_P(Nodes, suite, ::testing::ValuesIn(::loopsim::testing::TestNodes()), \
                           ::loopsim::testing::NodeName);                                      \
  GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(suite)

// How many seeds a conformance program runs under a major: 0..9 under the LTS majors CI can afford it
// for (22, 24), 0..2 under the others.
int ConformanceSeeds(int major);

// Runs seeds of `script` (absolute) under `node` on `backend` with the given extra run flags, from the
// directory `cwd`. Each result is what `loopsim run --node NODE --backend B --seed S SCRIPT` gives.
class SeedsOf {
 public:
  SeedsOf(const TestNode& node, const std::string& script, const std::string& backend, const std::string& cwd);
  ~SeedsOf();
  sim::SeedResult Run(uint64_t seed);
  // The `loopsim run` command line that gives one seed's result, for failure messages.
  std::string Command(uint64_t seed) const;

 private:
  std::string scratch_;
  sim::SeedRunnerOptions options_;
  std::unique_ptr<sim::SeedRunner> runner_;
};

// gtest parameter names allow only letters, digits and underscores.
std::string GtestName(std::string name);

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_CONFORMANCE_MATRIX_H_
