// See threads.h. The originals (the binary's own libuv) create threads and destroy locks; only what a
// forked child cannot do is answered here.
#include "runtime/node/threads.h"

#include <pthread.h>
#include <uv.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "fakeos/base/check.h"
#include "runtime/runtime.h"
#include "runtime/uv/process.h"
#include "runtime/uv/threads.h"

namespace loopsim::node_host {

namespace {

bool g_forked_child = false;
bool g_seed_running = false;
std::mutex g_mutex;
std::vector<pthread_t> g_child_threads;  // threads a forked child created itself
std::vector<std::pair<pthread_t, uv::SimThread*>> g_sim_threads;  // the workers, by their thread

using CreateEx = int (*)(uv_thread_t*, const uv_thread_options_t*, void (*)(void*), void*);
void* g_create_ex = nullptr;

bool IsZygoteThread(uv_thread_t tid) {
  if (!g_forked_child) return false;
  std::lock_guard<std::mutex> lock(g_mutex);
  for (pthread_t t : g_child_threads) {
    if (pthread_equal(t, tid)) return false;
  }
  return true;
}

// A worker's thread: it waits for its first turn, runs node's entry and gives its turn away as it ends.
struct WorkerStart {
  void (*entry)(void*);
  void* arg;
  uv::SimThread* thread;
};

void RunWorker(void* p) {
  const WorkerStart start = *static_cast<WorkerStart*>(p);
  delete static_cast<WorkerStart*>(p);
  uv::ThreadBegins(start.thread);
  start.entry(start.arg);
  uv::ThreadEnds(start.thread);
}

bool IsWorkerStart(const uv_thread_options_t* params) {
  if (!g_seed_running || params == nullptr || (params->flags & UV_THREAD_HAS_STACK_SIZE) == 0) return false;
  return uv::OnSimulationThread();
}

int ThreadCreateEx(uv_thread_t* tid, const uv_thread_options_t* params, void (*entry)(void*), void* arg) {
  uv::SimThread* worker = nullptr;
  if (IsWorkerStart(params)) {
    worker = uv::NewThread();
    arg = new WorkerStart{entry, arg, worker};
    entry = &RunWorker;
  }
  const int r = reinterpret_cast<CreateEx>(g_create_ex)(tid, params, entry, arg);
  LS_CHECK_MSG(r == 0 || worker == nullptr, "a worker's thread could not be created");
  if (r == 0 && (g_forked_child || worker != nullptr)) {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_forked_child) g_child_threads.push_back(*tid);
    if (worker != nullptr) g_sim_threads.emplace_back(*tid, worker);
  }
  return r;
}

uv::SimThread* SimThreadOf(uv_thread_t tid) {
  std::lock_guard<std::mutex> lock(g_mutex);
  for (const auto& [t, sim] : g_sim_threads) {
    if (pthread_equal(t, tid)) return sim;
  }
  return nullptr;
}

int ThreadCreate(uv_thread_t* tid, void (*entry)(void*), void* arg) {
  uv_thread_options_t params{};
  params.flags = UV_THREAD_NO_FLAGS;
  return ThreadCreateEx(tid, &params, entry, arg);
}

// A thread of the child's, once joined, is forgotten: its pthread_t may be the same value as one of the
// zygote's threads (the C library reuses the stacks of threads that did not survive the fork), which
// node joins later (its platform's, at exit).
void ForgetJoined(uv_thread_t tid) {
  std::lock_guard<std::mutex> lock(g_mutex);
  const auto same = [tid](pthread_t t) { return pthread_equal(t, tid) != 0; };
  g_child_threads.erase(std::remove_if(g_child_threads.begin(), g_child_threads.end(), same), g_child_threads.end());
  g_sim_threads.erase(std::remove_if(g_sim_threads.begin(), g_sim_threads.end(),
                                     [&](const auto& entry) { return same(entry.first); }),
                      g_sim_threads.end());
}

int ThreadJoin(uv_thread_t* tid) {
  if (IsZygoteThread(*tid)) return 0;
  if (uv::SimThread* worker = SimThreadOf(*tid)) uv::WaitForThreadEnd(worker);
  const int r = -pthread_join(*tid, nullptr);
  if (r == 0) ForgetJoined(*tid);
  return r;
}

int ThreadDetach(uv_thread_t* tid) {
  if (IsZygoteThread(*tid)) return 0;
  return -pthread_detach(*tid);
}

bool InForkedChild() { return g_forked_child; }

// A lock's destruction, which a forked child skips.
template <Symbol kName, typename Lock>
using Destroy = SkippableEntry<kName, InForkedChild, Lock*>;

}  // namespace

const std::vector<Redirection>& ThreadRedirections() {
  static const std::vector<Redirection> table = {
      {"uv_thread_create_ex", reinterpret_cast<const void*>(&ThreadCreateEx), &g_create_ex, true},
      {"uv_thread_create", reinterpret_cast<const void*>(&ThreadCreate), nullptr, false},
      {"uv_thread_join", reinterpret_cast<const void*>(&ThreadJoin), nullptr, false},
      {"uv_thread_detach", reinterpret_cast<const void*>(&ThreadDetach), nullptr, false},
      Destroy<"uv_mutex_destroy", uv_mutex_t>::redirection(),
      Destroy<"uv_cond_destroy", uv_cond_t>::redirection(),
      Destroy<"uv_sem_destroy", uv_sem_t>::redirection(),
      Destroy<"uv_rwlock_destroy", uv_rwlock_t>::redirection(),
      Destroy<"uv_barrier_destroy", uv_barrier_t>::redirection(),
  };
  return table;
}

void ForgetThreadsAfterFork() {
  g_forked_child = true;
  g_sim_threads.clear();
  uv::ForgetThreads();
  uv::ForgetProcesses();
}

void SeedBegan() { g_seed_running = true; }

}  // namespace loopsim::node_host
