// Running any libuv program on the simulated loop, not only Node: the C++ API of the simulated libuv.
//
//   loopsim::SimulationResult r = loopsim::Simulate({.seed = 7}, [] {
//     uv_loop_t* loop = uv_default_loop();
//     ... ordinary uv_* calls ...
//     uv_run(loop, UV_RUN_DEFAULT);
//   });
//
// Inside the body every uv_* call goes to the simulation: time is virtual, thread-pool work completes in
// an order the seed picks, files live in the virtual file system (empty but for /tmp), sockets on the
// virtual network. A fault profile (fakeos/faults.h) lets the seed also decide which disk and network
// operations fail, as `loopsim run --faults` does. The result says what happened (trace hash, the
// decisions made), so a test can run a body over many seeds and compare. One simulation at a time per
// process; a body whose loop waits forever ends the process with a "hang" message (exit code 124), as
// `loopsim run` does.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fakeos/kernel.h"

namespace loopsim {

struct SimulationOptions {
  uint64_t seed = 0;
  std::string backend = "epoll";  // epoll | kqueue | iocp
  // The libuv version whose behaviour the simulation follows (runtime/uv/version.h), UV_VERSION_HEX:
  // 1.44.2 unless set.
  uint32_t libuv_version = (1u << 16) | (44u << 8) | 2u;
  std::string trace_path;         // "" = keep only the hash
  FaultProfile faults = FaultProfile::None();
};

struct SimulationResult {
  uint64_t trace_hash = 0;
  uint64_t trace_events = 0;
  std::vector<Decision> decisions;
  Nanos virtual_elapsed;
};

SimulationResult Simulate(const SimulationOptions& options, const std::function<void()>& body);

// Runs body(seed) as a simulation for seeds first .. first+count-1; stops at the first seed for which
// body returns false and returns that seed, or returns -1 when every seed passed.
int64_t FirstFailingSeed(uint64_t first, uint64_t count, const std::function<bool(uint64_t seed)>& body,
                         const std::string& backend = "epoll", const FaultProfile& faults = FaultProfile::None());

}  // namespace loopsim
