// A fixture for end-to-end tests run under every node of the test matrix (tests/conformance/matrix.h),
// each in a temporary directory of its own: the test writes its programs there (SetUp of the derived
// fixture), and Loopsim({COMMAND, ARGS...}) runs `loopsim COMMAND --node NODE ARGS...` in it.
#ifndef LOOPSIM_TESTS_E2E_NODE_MATRIX_TEST_H_
#define LOOPSIM_TESTS_E2E_NODE_MATRIX_TEST_H_

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "e2e.h"
#include "matrix.h"
#include "tests/support/files.h"

namespace loopsim::testing {

class NodeMatrixTest : public ::testing::TestWithParam<TestNode> {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("loopsim-e2e");
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  void Write(const std::string& name, const std::string& text) { ASSERT_TRUE(WriteFile(dir_ + "/" + name, text)); }
  RunResult Loopsim(std::vector<std::string> args) {
    args.insert(args.begin() + 1, {"--node", GetParam().path});
    RunOptions options = LoopsimCommand(args);
    options.cwd = dir_;
    options.wall_limit = std::chrono::milliseconds(120000);
    RunResult result = RunProcess(options);
    EXPECT_TRUE(result.Exited()) << result.Describe(options) << "\n" << result.err;
    return result;
  }
  std::string dir_;
};

inline std::string NodeName(const ::testing::TestParamInfo<TestNode>& node) {
  return "node" + std::to_string(node.param.major);
}

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_E2E_NODE_MATRIX_TEST_H_
