// What the black-box tests hold a run of a program to (subprocess.h): the code it exits with and text
// its stdout and stderr contain, checked in one place so that a failure quotes what the run printed.
#ifndef LOOPSIM_TESTS_SUPPORT_RUN_CHECKS_H_
#define LOOPSIM_TESTS_SUPPORT_RUN_CHECKS_H_

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/subprocess.h"

namespace loopsim::testing {

// Written with designated initializers; what is left out asks for nothing, but for an exit code of 0.
struct ExpectedRun {
  int exit_code = 0;
  std::vector<std::string> out_has = {};  // each must occur in stdout
  std::vector<std::string> err_has = {};  // each must occur in stderr
};

// Success when `result` exited with the expected code and its stdout and stderr contain every string
// expected of them; otherwise a failure that says what differs and quotes both outputs.
::testing::AssertionResult Shows(const RunResult& result, const ExpectedRun& expected);

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_SUPPORT_RUN_CHECKS_H_
