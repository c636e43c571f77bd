// The host's monotonic clock, for the explorer's wall-clock watchdog and progress display only. The
// loopsim executable defines clock_gettime itself (so that V8 and ICU read virtual time), which makes
// std::chrono's clocks virtual too in this process; this reads the kernel's clock by system call, past
// the interposer. Nothing in a simulated run may use it.
#pragma once

#include <cstdint>

namespace loopsim::sim {

int64_t HostMonotonicNs();

}  // namespace loopsim::sim
