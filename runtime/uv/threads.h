// Threads of the simulated process: the main thread and each thread with a simulated loop of its own (a
// `worker_threads` Worker). They are real threads, but they take turns: one runs at a time, as on a
// machine with one core, and a thread gives up its turn only at fixed points:
//   - after each callback from its loop (the JavaScript of one callback runs without a switch),
//   - in the poll phase of its loop (where libuv would block in epoll_wait),
//   - when it waits on a condition variable (V8's Atomics.wait, or any wait of one simulated thread for
//     another),
//   - when it joins another thread (uv_thread_join) that has not ended,
//   - when it ends.
// There the scheduler lets run one of the threads that can run: one that has just run a callback, a new
// thread whose start-up time has passed, a polling thread one of whose sources is ready (or whose poll
// timeout has passed), a waiting thread that was signalled (or whose wait timed out on the virtual
// clock), a joining thread whose target has ended. Which one, when there are several, is a decision
// (Site::kThread), as is each new thread's start-up time. When none can run, the virtual clock moves to
// the next kernel event, poll timeout or start-up, as every thread sleeps; when none ever could, the
// process is deadlocked and the run stops as a hang.
//
// What this cannot reproduce: two threads' JavaScript interleaved inside one callback (races on a
// SharedArrayBuffer without Atomics between two points where neither yields), and a thread that blocks
// on a lock another simulated thread holds while that one waits for its turn (it would wait for good;
// Node's and V8's code holds no lock across the points above).
//
// Until a second thread starts, nothing of this runs: a single loop polls the kernel directly and makes
// no thread decision.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "fakeos/kernel.h"

namespace loopsim::uv {

struct SimThread;

// True once a thread other than the main one was started in this process.
bool ThreadsStarted();
// The calling thread may use the simulation now: once threads run, it is the thread whose turn it is;
// before, it is the process's main thread (the thread that loaded loopsim, or in a forked child the one
// that forked). Every check of "is this the simulation's thread" asks this one.
bool OnSimulationThread();
// The calling thread is a simulated thread other than the main one.
bool OnWorkerThread();
// The calling thread's number in the trace: 0 for the main thread, then 1, 2, ... in creation order.
uint32_t CurrentThreadNumber();

// The simulated process the calling thread belongs to (process.h): 0 for the program's threads. A new
// thread belongs to its creator's process, unless the creator named it the main thread of a new one.
uint32_t CurrentProcess();
void StartNextThreadAsProcess(uint32_t process);

// A process that is exiting ('exit' was emitted, or a signal stops it) tears itself down at once: its
// threads' callbacks from now on take no virtual time and give no turn away (as a real process's exit
// closes its descriptors and reports its end all at one moment).
void MarkProcessExiting(uint32_t process);
bool CurrentThreadExiting();

// On the running thread, as it creates a thread: the new thread's record. The thread itself calls
// ThreadBegins first and ThreadEnds last.
SimThread* NewThread();
// On the new thread: waits for its first turn.
void ThreadBegins(SimThread* thread);
// On the thread, as it ends: gives the turn away for good.
void ThreadEnds(SimThread* thread);
// On the running thread: lets the other threads run until `thread` has ended.
void WaitForThreadEnd(SimThread* thread);

// A condition-variable wait of the thread whose turn it is, once threads run: gives the turn away
// (calling `unlock` first) until a simulated thread signals `cond` or the virtual clock reaches
// `deadline` (none: no timeout), then takes its turn again and calls `lock`. Returns false on a
// timeout. Stops the run as a hang when no thread could ever signal it.
bool WaitOnCondition(const void* cond, std::optional<Nanos> deadline, void (*unlock)(void*), void (*lock)(void*),
                     void* mutex);
// A signal of `cond` by the thread whose turn it is: wakes the first thread waiting on it (all of
// them with `all`), in the order they began waiting.
void SignalCondition(const void* cond, bool all);

// After a callback from the loop, on the thread whose turn it is: another thread that can run may run
// first (a decision, when there is one).
void YieldTurn();

// The poll phase of a loop once threads run: lets other threads run until this one can go on (one of
// `sources` is ready, or `timeout_ms` has passed; < 0: no timeout), then takes its ready sources. Sets
// *deadlock when no thread could ever run again.
std::vector<SourceId> PollAsThread(const std::vector<SourceId>& sources, int timeout_ms, bool* deadlock);

// Loops other than the default one that the simulation owns (a worker's), for the Node host's dispatch.
void AddSimulatedLoop(const void* loop);
void RemoveSimulatedLoop(const void* loop);
bool IsAddedSimulatedLoop(const void* loop);
// The calling thread has a simulated loop of its own open (the first it added, while it is open: a
// worker thread's, once it has made it).
bool OwnsSimulatedLoop();

// In a forked zygote child: the process has one thread again, the main one, and none was started.
void ForgetThreads();

}  // namespace loopsim::uv
