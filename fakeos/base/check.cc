// Always-on assertions: see check.h.
#include "fakeos/base/check.h"

#include <cstdio>
#include <cstdlib>

namespace loopsim {

CheckContext& GetCheckContext() {
  static CheckContext context;
  return context;
}

void CheckFailed(const char* file, int line, const char* expr, const char* message) {
  const CheckContext& c = GetCheckContext();
  std::fprintf(stderr, "loopsim: internal check failed at %s:%d: %s %s\n", file, line, expr, message);
  if (c.active) {
    std::fprintf(stderr, "loopsim: while simulating seed %llu, trace step %llu\n",
                 static_cast<unsigned long long>(c.seed), static_cast<unsigned long long>(c.trace_step));
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace loopsim
