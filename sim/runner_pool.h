// Runs many seeds on a fixed set of SeedRunners, one thread per runner (one per --jobs), and hands the
// results back to the calling thread, which does all the bookkeeping: nothing but SeedRunner::Run runs
// concurrently, so reports are built single-threaded and come out the same whatever the timing.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "sim/seed_runner.h"

namespace loopsim::sim {

class RunnerPool {
 public:
  using Factory = std::function<std::unique_ptr<SeedRunner>(int index)>;

  RunnerPool(int jobs, const Factory& make_runner);
  int jobs() const { return static_cast<int>(runners_.size()); }

  // Runs requests 0..count-1, handing out indices in increasing order as runners free up. `make(i)`
  // builds request i (called on a worker thread, under a lock); `on_result(i, result)` is called on the
  // calling thread as results arrive, in completion order; when it returns false no further index is
  // handed out (those already running still finish and are reported). Once a stop signal came
  // (interrupt.h) nothing more is handed out and results are no longer reported: the runs in flight were
  // killed. Returns the number handed out.
  size_t Run(size_t count, const std::function<SeedRequest(size_t)>& make,
             const std::function<bool(size_t, SeedResult&)>& on_result);

  // Runs all the requests; results in request order.
  std::vector<SeedResult> RunAll(const std::vector<SeedRequest>& requests);

 private:
  std::vector<std::unique_ptr<SeedRunner>> runners_;
};

}  // namespace loopsim::sim
