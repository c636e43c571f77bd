// The zygote SeedRunner: the fast sibling of the subprocess runner (seed_runner.h). Each runner starts
// one zygote (the user's node with the host library, runtime/node/zygote.h) that boots node for the
// program once; every seed then runs in a child of that booted node (one child for seed after seed: it
// puts itself back between them, runtime/node/recycle.h), described by the same
// `run` command line the subprocess runner would start (run_launch.h), so results are the same bytes,
// only without node's boot per seed. A child that crashes or hangs is reported by the zygote, which goes on;
// if the zygote itself dies, the runner starts a new one and retries the seed once. A request whose own
// flags make it another program than the zygote booted (test flags that give each run its own preload)
// runs as a `loopsim run` process instead.
//
// The runner also keeps the zygote's cost figures for the last seed (fork or restore, page faults, CPU, host-time
// marks), for benchmarks.
#pragma once

#include <memory>

#include "runtime/node/zygote_protocol.h"
#include "sim/seed_runner.h"

namespace loopsim::sim {

class ZygoteRunner : public SeedRunner {
 public:
  // What the zygote reported for the last seed run (zeros before the first).
  virtual const node_host::ZygoteReply& last_costs() const = 0;
  // Host time the zygote took to boot and be ready (0 before it started).
  virtual int64_t boot_ns() const = 0;
  // How many zygotes this runner has started (a dead one is replaced), and the current one's pid.
  virtual int zygotes_started() const = 0;
  virtual int zygote_pid() const = 0;
  // How many requests ran as processes of their own because their flags made them another program.
  virtual int fallback_runs() const = 0;
};

struct ZygoteRunnerOptions {
  // Test-only: the zygote waits this long after booting before it serves (an "old zygote").
  int64_t test_age_ms = 0;
  // Benchmark-only: boot without exercising the builtins, to measure what the warm-up saves.
  bool cold = false;
  // Benchmark-only: each child reports the memory it wrote itself (ZygoteReply::private_dirty_kb).
  bool measure_memory = false;
  // Benchmark-only: a child per seed, as before children recycled themselves (runtime/node/recycle.h).
  bool fork_per_seed = false;
  // Test-only: a recycled child leaves the pages its seed wrote as they are (the restore is broken).
  bool test_recycle_leaves_pages = false;
};

std::unique_ptr<ZygoteRunner> MakeZygoteRunner(const SeedRunnerOptions& options, int index,
                                               const ZygoteRunnerOptions& zygote = {});

}  // namespace loopsim::sim
