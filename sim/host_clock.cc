// See host_clock.h.
#include "sim/host_clock.h"

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

namespace loopsim::sim {

int64_t HostMonotonicNs() {
  timespec ts{};
  ::syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);  // lint: allow-host-time (explorer watchdog)
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace loopsim::sim
