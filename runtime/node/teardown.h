// Node's teardown, cut short once the program is over. When the simulated program has ended
// (Runtime::EndProgram: node began closing the handles it made while booting, after the 'exit' event
// and with JavaScript no longer allowed), what is left until node calls exit() is freeing what it
// built: the environment, then the isolate (V8 frees its heap page by page, writing to every page it
// visits, which in a forked zygote child copies each one), then V8 and the platform. None of it reaches
// the program or the run record, which is written at exit() with the exit code node passes there. The
// host takes over the entries that free the environment and its isolate data (their destructors), the
// isolate and the process-wide state: once the program is over they return at once (the process is about to end); before that they run the binary's own code,
// so a worker thread's environment and isolate, freed while the program runs, are freed by node's own
// code.
//
// Node frees its main isolate with v8::Isolate::Dispose up to Node 22, and with its platform's
// DisposeIsolate from Node 24; TearDownOncePerProcess follows on every version.
#pragma once

#include <vector>

#include "runtime/node/background.h"

namespace loopsim::node_host {

// The entries the host takes over; one of each group must be found.
const std::vector<PlatformEntry>& TeardownEntries();

}  // namespace loopsim::node_host
