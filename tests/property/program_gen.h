// Random Node.js programs for the event-loop properties: a small tree model (timers, intervals,
// immediates, ticks, microtasks, promises, await, fs in its callback, promise and sync forms, message
// ports, event-loop-delay monitors), rapidcheck generators of it, and a printer to JavaScript in which
// every callback prints its own label. Sockets are not simulated yet, so they are not generated.
//
// Two flavours: Flavour::kAny uses every construct with small random delays (for the invariant and
// determinism properties); Flavour::kDeterministic keeps to what real Node orders the same way every time
// (no thread-pool callbacks, no ports, no intervals; timers spaced kSlotMs apart on a nominal timeline so
// no two can race), for the differential property against Node 18.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <rapidcheck.h>

namespace loopsim::testing {

enum class Construct {
  kImmediate,
  kNextTick,
  kMicrotask,
  kPromise,
  kAwait,
  kTimeout,
  kFsSync,
  kInterval,
  kFsCallback,
  kFsPromise,
  kMessagePort,   // a MessageChannel message; its handler closes the port (a uv_close)
  kDelayMonitor,  // two perf_hooks event-loop-delay monitors: two libuv timers with equal deadlines
};

struct Node {
  Construct construct = Construct::kImmediate;
  int delay_ms = 0;  // timeouts, intervals, delay monitors (resolution)
  int repeat = 1;    // intervals: how many runs before clearInterval
  std::vector<Node> children;
};

enum class Flavour { kAny, kDeterministic };

struct Program {
  Flavour flavour = Flavour::kAny;
  std::vector<Node> body;
};

// Timers of a deterministic program sit this far apart on its nominal timeline.
inline constexpr int kSlotMs = 40;

rc::Gen<Program> GenProgram(Flavour flavour);

// The program as JavaScript.
std::string ToJavaScript(const Program& program);

// rapidcheck prints counterexamples with this: the JavaScript itself.
void showValue(const Program& program, std::ostream& os);

}  // namespace loopsim::testing
