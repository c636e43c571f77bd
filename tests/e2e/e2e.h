// Shared bits of the end-to-end tests: where the loopsim binary and the e2e programs are, and a helper
// that runs `loopsim ARGS...` with the shared subprocess runner.
#ifndef LOOPSIM_TESTS_E2E_E2E_H_
#define LOOPSIM_TESTS_E2E_E2E_H_

#include <string>
#include <vector>

#include "tests/support/subprocess.h"

#ifndef LOOPSIM_BIN
#error "LOOPSIM_BIN must name the loopsim binary"
#endif
#ifndef LOOPSIM_E2E_PROGRAMS
#error "LOOPSIM_E2E_PROGRAMS must name tests/e2e/programs"
#endif

namespace loopsim::testing {

inline std::string E2eProgram(const std::string& name) { return std::string(LOOPSIM_E2E_PROGRAMS) + "/" + name; }

inline RunOptions LoopsimCommand(const std::vector<std::string>& args) {
  RunOptions options;
  options.argv.push_back(LoopsimBinary(LOOPSIM_BIN));
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  return options;
}

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_E2E_E2E_H_
