// The zygote: per-seed isolation without paying Node's boot per seed. A zygote process boots Node for
// one program once (host.h: everything up to the point where `node SCRIPT` would run the main module)
// and then, for every request on its control socket, forks a child that begins the requested seed and
// runs the program from that point, exactly as `loopsim run` with the same command line would: the same
// stdout, stderr, exit code, trace and run record.
//
// Forking a booted V8 is safe only under conditions the spike measured (DESIGN.md): V8's heap
// reservations are not marked MADV_DONTFORK (interpose.cc drops that advice), the process has exactly
// one thread at fork (the platform has no workers; checked before every fork), and boot leaves nothing
// in flight and no delayed work tied to the zygote's age (the platform's delayed tasks run on virtual
// time, which does not move while booting). Children inherit nothing else of their siblings: each is a
// fork of the same booted state, which never changes because the zygote itself never runs any seed.
//
// The zygote waits for each child under a host-time watchdog and reports how it ended (exit status or
// signal, timed out) with its cost: the fork, the child's page faults and CPU time, and host-time marks
// the child leaves in a page shared with the zygote (seed begun, main module returned, run finished).
// A child that crashes or hangs is killed and reported; the zygote goes on. The zygote ends when its
// control socket closes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runtime/node/host.h"
#include "runtime/node/zygote_protocol.h"
#include "runtime/runtime.h"

namespace loopsim::node_host {

// Turns a `run` command line (ZygoteRequest::run_args) into what `loopsim run` would run: the program
// and the runtime options. The command line's owner (sim/) provides it, so a child configures its seed
// with the very code `run` uses. It may end the process, as `run` does on bad input.
using RunParser = std::function<bool(const std::vector<std::string>& run_args, ProgramOptions* program,
                                     runtime::RuntimeOptions* options, std::string* error)>;

struct ZygoteOptions {
  int control_fd = 0;
  // Test-only: wait this long (host time) after booting, before serving, so tests can show that an old
  // zygote's children behave as a young one's.
  int64_t test_age_ms = 0;
};

// Boots Node for `program` on the started runtime (whose options are the zygote's command line's) and
// serves requests. Never returns: the zygote exits when the control socket closes (killing a child that
// is still running); a child runs its seed and exits like `loopsim run`. A request for another program
// or backend than the zygote booted runs nothing and is answered with `mismatch`.
[[noreturn]] void ServeZygote(const ProgramOptions& program, const ZygoteOptions& options, const RunParser& parse);

}  // namespace loopsim::node_host
