// V8's background work, on the loop's thread. V8 hands node's platform tasks to run on worker threads
// (WebAssembly's compilation and tier-up, and whatever of compilation and garbage collection
// --predictable does not switch off). On real worker threads they would run at host-dependent moments,
// and a forked zygote child has no worker threads at all, so the host takes them over: a task posted for
// a worker thread is queued (a delayed one once its delay has passed on the virtual clock; nothing waits
// for it), and the queue runs on the loop's thread at fixed points: at the start of every poll phase of
// the simulated loop, and whenever node drains its platform (after each uv_run, before deciding whether
// the loop is alive). V8 is also told its platform has one worker thread, so a job runs on the thread
// that joins it and, when nobody does, from the queue.
//
// Node's platform has two generations of these entry points: CallOnWorkerThread and
// CallDelayedOnWorkerThread (Node 18 and 20, V8 up to 11), and PostTaskOnWorkerThreadImpl and
// PostDelayedTaskOnWorkerThreadImpl with a priority and a source location (Node 22 on).
#pragma once

#include <vector>

#include "runtime/node/redirects.h"

namespace loopsim::node_host {

// The platform's entries the host takes over; `group` says which must be found (one of each group;
// none: found only in some binaries).
struct PlatformEntry {
  Redirection redirection;
  const char* group;
};
const std::vector<PlatformEntry>& PlatformEntries();

// The waits of abseil's condition variables, which V8 uses from Node 24 on (condvars.cc).
const std::vector<PlatformEntry>& WaiterEntries();

// Runs the queued tasks (and those they queue) on the calling thread. The loop calls it at the start of
// each poll phase (runtime/runtime.h: host work).
void RunBackgroundWork();

}  // namespace loopsim::node_host
