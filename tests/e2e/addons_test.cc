// Native addons (runtime/node/addons.cc): under every node of the matrix, a program that requires a
// `.node` file gets an Error naming the file, and the addon's code never runs (its constructor would
// have written a host file); with --allow-addons the addon is loaded and its constructor runs on the host.
// The addon is a plain shared object built here with the system's C compiler: it registers no Node
// module, so even a load that is allowed ends in node's own "did not self-register" error.
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "e2e.h"
#include "matrix.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir_test.h"

namespace loopsim::testing {
namespace {

constexpr char kAddon[] =
    "#include <fcntl.h>\n"
    "#include <unistd.h>\n"
    "__attribute__((constructor)) static void Mark(void) {\n"
    "  int fd = open(MARK, O_WRONLY | O_CREAT | O_TRUNC, 0644);\n"
    "  if (fd >= 0) { (void)write(fd, \"ran\\n\", 4); close(fd); }\n"
    "}\n";

constexpr char kProgram[] =
    "try { require('./x.node'); console.log('loaded'); }\n"
    "catch (e) { console.log(e.code + ': ' + e.message); }\n";

class Addons : public TempDirTest<::testing::TestWithParam<TestNode>> {
 protected:
  void SetUpInDir() override {
    mark_ = dir_ + "/mark";
    ASSERT_TRUE(WriteFile(dir_ + "/addon.c", kAddon));
    ASSERT_TRUE(WriteFile(dir_ + "/app.js", kProgram));
    RunOptions cc;
    cc.argv = {"cc", "-shared", "-fPIC", "-DMARK=\"" + mark_ + "\"", "-o", dir_ + "/x.node", dir_ + "/addon.c"};
    const RunResult built = RunProcess(cc);
    if (!built.spawn_error.empty()) GTEST_SKIP() << "no C compiler: " << built.spawn_error;
    ASSERT_EQ(built.exit_code, 0) << built.err;
  }
  RunResult Run(const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"run", "--node", GetParam().path};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(dir_ + "/app.js");
    RunOptions options = LoopsimCommand(args);
    RunResult result = RunProcess(options);
    EXPECT_TRUE(result.Exited()) << result.Describe(options) << "\n" << result.err;
    return result;
  }
  std::string mark_;
};

TEST_P(Addons, LoadingAnAddonThrowsAnErrorNamingItAndRunsNoneOfItsCode) {
  const RunResult result = Run({});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "ERR_DLOPEN_FAILED: loopsim refused the native addon " + dir_ +
                            "/x.node: its code would run on the host, outside the simulation (loopsim "
                            "--allow-addons loads it)\n");
  EXPECT_NE(access(mark_.c_str(), F_OK), 0) << "the addon's constructor ran";
}

TEST_P(Addons, AllowAddonsLoadsItOnTheHost) {
  const RunResult result = Run({"--allow-addons"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(access(mark_.c_str(), F_OK), 0) << "the addon was not loaded: " << result.out;
  EXPECT_EQ(result.out.find("refused"), std::string::npos) << result.out;
}

LOOPSIM_TEST_ON_EVERY_NODE(Addons);

}  // namespace
}  // namespace loopsim::testing
