// Where runners keep a seed's files: a private directory, in memory where the machine has a writable
// /dev/shm (a seed's files are made, truncated and removed at every seed), else under /tmp.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "sim/seed_runner.h"

namespace loopsim::sim {
namespace {

TEST(ScratchDir, IsANewPrivateDirectoryInMemoryWhereTheMachineHasOne) {
  const std::string a = MakeScratchDir("loopsim-scratch-test-");
  const std::string b = MakeScratchDir("loopsim-scratch-test-");
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_NE(a, b);
  const std::string parent = ::access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm/" : "/tmp/";
  EXPECT_EQ(a.rfind(parent + "loopsim-scratch-test-", 0), 0u) << a;
  struct stat st{};
  ASSERT_EQ(::stat(a.c_str(), &st), 0) << a;
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u) << "another user could read a seed's output";
  std::filesystem::remove_all(a);
  std::filesystem::remove_all(b);
}

}  // namespace
}  // namespace loopsim::sim
