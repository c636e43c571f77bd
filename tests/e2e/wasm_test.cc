// WebAssembly under every node of the matrix: an asynchronous compile of the whole module
// (--no-wasm-lazy-compilation: a V8 job nobody joins, which runs from the host's queue of background
// work, runtime/node/background.h; on Node 18 and 26 it never ran while V8 was told of no worker thread)
// finishes and its module runs, in `loopsim run` and in explore's zygote children, and one seed prints
// the same every time.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "node_matrix_test.h"

namespace loopsim::testing {
namespace {

constexpr char kWholeModule[] = "--node-option=--no-wasm-lazy-compilation";

class Wasm : public NodeMatrixTest {};

TEST_P(Wasm, AnAsynchronousCompileFinishesAndOneSeedPrintsTheSameEveryTime) {
  const std::string program = E2eProgram("wasm_async.js");
  const std::vector<std::string> run = {"run", kWholeModule, "--seed", "7", program};
  const RunResult first = Loopsim(run);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("wasm -1455759936\n"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("timer\n"), std::string::npos) << first.out;
  const RunResult second = Loopsim(run);
  EXPECT_EQ(second.out, first.out);
}

TEST_P(Wasm, ExploresZygoteChildrenFinishAnAsynchronousCompile) {
  const RunResult result =
      Loopsim({"explore", kWholeModule, "--seeds", "6", E2eProgram("wasm_async.js")});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

LOOPSIM_TEST_ON_EVERY_NODE(Wasm);

}  // namespace
}  // namespace loopsim::testing
