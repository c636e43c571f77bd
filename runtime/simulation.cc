// See simulation.h.
#include "runtime/simulation.h"

#include "runtime/runtime.h"
#include "runtime/uv/internal.h"

namespace loopsim {

SimulationResult Simulate(const SimulationOptions& options, const std::function<void()>& body) {
  runtime::RuntimeOptions runtime_options;
  runtime_options.kernel.seed = options.seed;
  runtime_options.backend = options.backend;
  runtime_options.libuv_version = options.libuv_version;
  runtime_options.trace_path = options.trace_path;
  runtime_options.kernel.faults = options.faults;
  runtime::Runtime::Start(std::move(runtime_options));
  // An empty disk with a writable /tmp, as a fresh machine has.
  runtime::Runtime::Get().kernel().vfs().Mkdir("/tmp", 01777);
  body();
  uv::ForgetDefaultLoop();
  runtime::Runtime& rt = runtime::Runtime::Get();
  SimulationResult result;
  result.decisions = rt.kernel().chooser().log();
  result.virtual_elapsed = rt.kernel().clock().SinceBoot();
  rt.trace().Close();
  result.trace_hash = rt.trace().hash();
  result.trace_events = rt.trace().events();
  runtime::Runtime::Shutdown();
  return result;
}

int64_t FirstFailingSeed(uint64_t first, uint64_t count, const std::function<bool(uint64_t seed)>& body,
                         const std::string& backend, const FaultProfile& faults) {
  for (uint64_t seed = first; seed < first + count; ++seed) {
    bool ok = true;
    SimulationOptions options;
    options.seed = seed;
    options.backend = backend;
    options.faults = faults;
    Simulate(options, [&] { ok = body(seed); });
    if (!ok) return static_cast<int64_t>(seed);
  }
  return -1;
}

}  // namespace loopsim
