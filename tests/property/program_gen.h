// Random Node.js programs for the event-loop properties: a small tree model (timers, intervals,
// immediates, ticks, microtasks, promises, await, fs in its callback, promise and sync forms, message
// ports sending one to three messages, event-loop-delay monitors, and sockets: a TCP or unix-socket
// server and client exchanging messages, a UDP pair), rapidcheck generators of it, and a printer to
// JavaScript in which every callback prints its own label. A socket construct has several callbacks
// ('connection', 'connect', 'data', 'end', 'close', write and send callbacks, the server's close
// callback); each child runs in the one its `at` names. Every socket construct ends itself (the server
// stops listening at its first connection; the client ends after the last reply; the UDP pair closes
// after the last reply), so programs terminate.
//
// Two flavours: Flavour::kAny uses every construct with small random delays (for the invariant and
// determinism properties); Flavour::kDeterministic keeps to what real Node orders the same way every time
// (no thread-pool callbacks, no ports, no intervals; timers spaced kSlotMs apart on a nominal timeline so
// no two can race; at most one socket construct, see below), for the differential property against
// Node 18.
//
// Why one socket construct is deterministic under real Node (Linux, epoll): it uses loopback only, where
// a write, a FIN and a connection are in the peer's queue when the call returns, and it is a strict
// ping-pong: each step (connect, a message, the reply, the end) starts from the callback of the step
// before, so exactly one descriptor becomes ready per loop iteration and each step lands in the poll
// phase of the iteration after the one before, however fast the machine is. The one step with two ready
// descriptors, the connection, is ordered by epoll's ready list: the listener was registered first, so
// 'connection' comes before 'connect'. Nothing in it uses the thread pool (the addresses are literals,
// which Node resolves without a lookup). A whole exchange takes a few milliseconds, well inside kSlotMs,
// so it does not race the program's timers. Two socket constructs are not generated together: their
// descriptors could become ready in the same poll phase, where Linux orders them by when each became
// ready or was registered, which depends on more than the loop's rules (and loopsim delivers loopback
// bytes at its next poll rather than inside the write, so it orders a descriptor registered after the
// bytes arrived by arrival, not by registration).
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
  kMessagePort,   // `repeat` MessageChannel messages, 0, 1, ...; the handler closes the port at the last
                  // (a uv_close) and runs the children at the first
  kDelayMonitor,  // two perf_hooks event-loop-delay monitors: two libuv timers with equal deadlines
  kTcp,           // a TCP server on 127.0.0.1 port 0 and a client: `repeat` ping-pong rounds, then end
  kUnixSocket,    // the same over a unix socket under os.tmpdir()
  kUdp,           // two UDP sockets on 127.0.0.1: `repeat` ping-pong rounds, then both close
};

// How many callbacks a construct has for its children to run in (1 for all but the sockets).
int CallbackCount(Construct construct);

// How a TCP or unix-socket exchange goes (Flavour::kAny varies it; the deterministic flavour is plain).
enum class SocketStyle {
  kPlain,           // 4-byte messages; the client ends its side after the last reply
  kBigReply,        // the server answers with more than the socket buffers hold: partial writes, a
                    // queued write request waiting for POLLOUT, several reads per reply
  kClientDestroys,  // the client destroys its socket after the last reply instead of ending it
};

struct Node {
  Construct construct = Construct::kImmediate;
  int delay_ms = 0;  // timeouts, intervals, delay monitors (resolution)
  int repeat = 1;    // intervals: how many runs before clearInterval; ports: messages; sockets: rounds
  int at = 0;        // which callback of its parent this runs in (modulo the parent's CallbackCount)
  SocketStyle style = SocketStyle::kPlain;  // TCP and unix sockets
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
