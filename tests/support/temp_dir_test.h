// A fixture that gives each test a fresh temporary directory of its own (dir_), removed after the test,
// for the tests that write programs or files on the host and run loopsim or node on them.
#ifndef LOOPSIM_TESTS_SUPPORT_TEMP_DIR_TEST_H_
#define LOOPSIM_TESTS_SUPPORT_TEMP_DIR_TEST_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "tests/support/files.h"

namespace loopsim::testing {

// `Base` is the gtest fixture it extends: ::testing::Test, or ::testing::TestWithParam<T> for a
// parameterized test. The directory is named for the test suite (/tmp/loopsim-Nodes-Stdin-XXXXXX), so
// one left behind says which test made it.
template <typename Base = ::testing::Test>
class TempDirTest : public Base {
 protected:
  void SetUp() override {
    std::string suite = ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name();
    std::replace(suite.begin(), suite.end(), '/', '-');
    dir_ = MakeTempDir("loopsim-" + suite);
    ASSERT_FALSE(dir_.empty()) << "cannot make a temporary directory";
    SetUpInDir();
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  // What a derived fixture sets up once the directory exists: the programs and files its tests use.
  virtual void SetUpInDir() {}

  std::string dir_;
};

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_SUPPORT_TEMP_DIR_TEST_H_
