// The simulated backends (`--backend`), for tests that run under each: as a list, in the order
// `--backend all` runs them, and as the name of a test parameterized by one.
#ifndef LOOPSIM_TESTS_SUPPORT_BACKENDS_H_
#define LOOPSIM_TESTS_SUPPORT_BACKENDS_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace loopsim::testing {

// epoll, kqueue, iocp. A parameterized suite takes them as ::testing::ValuesIn(Backends()).
const std::vector<std::string>& Backends();

// The backend itself as the test's name suffix (Backends/UvLoopTest.Name/epoll).
std::string BackendName(const ::testing::TestParamInfo<std::string>& info);

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_SUPPORT_BACKENDS_H_
