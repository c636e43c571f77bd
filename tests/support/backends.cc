// The simulated backends; see backends.h.
#include "tests/support/backends.h"

namespace loopsim::testing {

const std::vector<std::string>& Backends() {
  static const std::vector<std::string> backends = {"epoll", "kqueue", "iocp"};
  return backends;
}

std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace loopsim::testing
