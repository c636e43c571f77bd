// Threads and locks in a process that a zygote forks. Node's platform starts threads while it boots
// (V8's worker pool, the delayed-task scheduler), so a zygote forks with them waiting idle; a forked
// child has only the thread that forked. Node joins those threads and destroys their locks when it
// tears down, which in a child would wait forever for threads that are not there. The host therefore
// takes over libuv's thread creation, joining and lock destruction: in a forked child, joining a thread
// of the zygote returns at once and destroying a lock does nothing (the process is about to end; a
// destroyed pthread lock holds no resource).
//
// It is also where a worker thread is recognised: a thread with its own stack size that the main thread
// starts while a seed runs is a `worker_threads` Worker, whose loop would run on the real libuv; the run
// stops there as unsupported.
#pragma once

#include <vector>

#include "runtime/node/redirects.h"

namespace loopsim::node_host {

const std::vector<Redirection>& ThreadRedirections();

// In a forked child, before anything else: the zygote's threads are gone.
void ForgetThreadsAfterFork();

// From here on the program runs: new threads with a stack size of their own are workers.
void SeedBegan();

}  // namespace loopsim::node_host
