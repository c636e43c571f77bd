// Always-on assertions. A failed check is a programmer error in loopsim itself: it prints where it
// happened together with the seed and the trace step being simulated, then aborts. Bad user input is
// never reported through these; it gets an error message and an exit code instead.
#pragma once

#include <cstdint>

namespace loopsim {

// What a failed check prints besides its own message; set by whoever runs a simulation.
struct CheckContext {
  uint64_t seed = 0;
  uint64_t trace_step = 0;
  bool active = false;
};
CheckContext& GetCheckContext();

[[noreturn]] void CheckFailed(const char* file, int line, const char* expr, const char* message);

}  // namespace loopsim

#define LS_CHECK(cond) \
  do { \
    if (!(cond)) ::loopsim::CheckFailed(__FILE__, __LINE__, #cond, ""); \
  } while (0)

#define LS_CHECK_MSG(cond, msg) \
  do { \
    if (!(cond)) ::loopsim::CheckFailed(__FILE__, __LINE__, #cond, (msg)); \
  } while (0)
