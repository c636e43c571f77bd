// See background.h. A v8::Task is a class with a virtual destructor and a virtual Run(); node's entries
// take it as a std::unique_ptr, which the C++ ABI passes as a pointer to the caller's unique_ptr (a
// single pointer the callee may take). The declarations below follow that layout.
#include "runtime/node/background.h"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>

#include "fakeos/base/check.h"
#include "runtime/runtime.h"

namespace loopsim::node_host {

// v8::Task's layout: the virtual destructor, then Run(). Not in an unnamed namespace: the compiler would
// then know every class deriving from it, find none overriding Run(), and turn the call into a call of
// the pure virtual.
class V8Task {
 public:
  virtual ~V8Task() = default;
  virtual void Run() = 0;
};

namespace {

// Queued, run in posting order.
std::deque<std::unique_ptr<V8Task>>& Queue() {
  static auto* queue = new std::deque<std::unique_ptr<V8Task>>();
  return *queue;
}

// Delayed ones, by the virtual instant they are due (in posting order among equals), until then.
std::multimap<int64_t, std::unique_ptr<V8Task>>& Delayed() {
  static auto* delayed = new std::multimap<int64_t, std::unique_ptr<V8Task>>();
  return *delayed;
}

void Take(V8Task** task) {
  Queue().emplace_back(*task);
  *task = nullptr;
}

// A delayed task waits for its instant on the virtual clock, V8's clock too: one run before it would
// find its time not come and post itself again (WebAssembly's code caching does, from Node 24 on), for
// ever within one drain, since virtual time stands still there.
void TakeDelayed(V8Task** task, double delay_s) {
  if (!(delay_s > 0)) return Take(task);
  const int64_t due = runtime::SimClock().Now().ns + static_cast<int64_t>(delay_s * 1e9);
  Delayed().emplace(due, std::unique_ptr<V8Task>(*task));
  *task = nullptr;
}

// Node 18 and 20.
void CallOnWorkerThread(void* platform, V8Task** task) { Take(task); }
void CallDelayedOnWorkerThread(void* platform, V8Task** task, double delay_s) { TakeDelayed(task, delay_s); }
// Node 22 on.
void PostTaskOnWorkerThread(void* platform, int priority, V8Task** task, const void* location) { Take(task); }
void PostDelayedTaskOnWorkerThread(void* platform, int priority, V8Task** task, double delay_s, const void* location) {
  TakeDelayed(task, delay_s);
}

void* g_blocking_drain = nullptr;

void BlockingDrain(void* runner) {
  RunBackgroundWork();
  reinterpret_cast<void (*)(void*)>(g_blocking_drain)(runner);
}

// One worker thread, as V8 is told: a job then posts one worker task (queued above) beside the work the
// thread that joins it does, so a job nobody joins (WebAssembly's asynchronous compilation) still runs,
// from the queue. With none, V8 left such a job waiting forever for a worker.
int OneWorkerThread(void* platform) { return 1; }

}  // namespace

void RunBackgroundWork() {
  const int64_t now = runtime::SimClock().Now().ns;
  auto& delayed = Delayed();
  while (!delayed.empty() && delayed.begin()->first <= now) {
    Queue().push_back(std::move(delayed.begin()->second));
    delayed.erase(delayed.begin());
  }
  while (!Queue().empty()) {
    std::unique_ptr<V8Task> task = std::move(Queue().front());
    Queue().pop_front();
    task->Run();
  }
}

const std::vector<PlatformEntry>& PlatformEntries() {
  const auto entry = [](const char* name, const void* fn, const char* group, void** original = nullptr) {
    return PlatformEntry{Redirection{name, fn, original, original != nullptr}, group};
  };
  static const std::vector<PlatformEntry> table = {
      entry(kWorkerThreadCount, reinterpret_cast<const void*>(&OneWorkerThread), "count"),
      entry(kRunnerThreadCount, reinterpret_cast<const void*>(&OneWorkerThread), "runner count"),
      entry("_ZN4node12NodePlatform18CallOnWorkerThreadESt10unique_ptrIN2v84TaskESt14default_deleteIS3_EE",
            reinterpret_cast<const void*>(&CallOnWorkerThread), "post"),
      entry("_ZN4node12NodePlatform26PostTaskOnWorkerThreadImplEN2v812TaskPriorityESt10unique_ptrINS1_4TaskESt14"
            "default_deleteIS4_EERKNS1_14SourceLocationE",
            reinterpret_cast<const void*>(&PostTaskOnWorkerThread), "post"),
      entry("_ZN4node12NodePlatform25CallDelayedOnWorkerThreadESt10unique_ptrIN2v84TaskESt14default_deleteIS3_EEd",
            reinterpret_cast<const void*>(&CallDelayedOnWorkerThread), "post delayed"),
      entry("_ZN4node12NodePlatform33PostDelayedTaskOnWorkerThreadImplEN2v812TaskPriorityESt10unique_ptrINS1_4Task"
            "ESt14default_deleteIS4_EEdRKNS1_14SourceLocationE",
            reinterpret_cast<const void*>(&PostDelayedTaskOnWorkerThread), "post delayed"),
      entry("_ZN4node23WorkerThreadsTaskRunner13BlockingDrainEv", reinterpret_cast<const void*>(&BlockingDrain), "drain",
            &g_blocking_drain),
  };
  return table;
}

}  // namespace loopsim::node_host
