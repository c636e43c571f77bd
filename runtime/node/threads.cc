// See threads.h. The originals (the binary's own libuv) create threads and destroy locks; only what a
// forked child cannot do is answered here.
#include "runtime/node/threads.h"

#include <pthread.h>
#include <uv.h>

#include <mutex>
#include <vector>

#include "runtime/runtime.h"

namespace loopsim::node_host {

namespace {

bool g_forked_child = false;
bool g_seed_running = false;
pthread_t g_main_thread = pthread_self();
std::mutex g_mutex;
std::vector<pthread_t> g_child_threads;  // threads a forked child created itself

using CreateEx = int (*)(uv_thread_t*, const uv_thread_options_t*, void (*)(void*), void*);
void* g_create_ex = nullptr;
void* g_mutex_destroy = nullptr;
void* g_cond_destroy = nullptr;
void* g_sem_destroy = nullptr;
void* g_rwlock_destroy = nullptr;
void* g_barrier_destroy = nullptr;

bool IsZygoteThread(uv_thread_t tid) {
  if (!g_forked_child) return false;
  std::lock_guard<std::mutex> lock(g_mutex);
  for (pthread_t t : g_child_threads) {
    if (pthread_equal(t, tid)) return false;
  }
  return true;
}

int ThreadCreateEx(uv_thread_t* tid, const uv_thread_options_t* params, void (*entry)(void*), void* arg) {
  if (g_seed_running && pthread_equal(pthread_self(), g_main_thread) && params != nullptr &&
      (params->flags & UV_THREAD_HAS_STACK_SIZE) != 0) {
    runtime::Runtime::Get().Halt(runtime::Stop::kUnsupported,
                                 "worker threads (worker_threads.Worker) are not simulated yet");
  }
  const int r = reinterpret_cast<CreateEx>(g_create_ex)(tid, params, entry, arg);
  if (r == 0 && g_forked_child) {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_child_threads.push_back(*tid);
  }
  return r;
}

int ThreadCreate(uv_thread_t* tid, void (*entry)(void*), void* arg) {
  uv_thread_options_t params{};
  params.flags = UV_THREAD_NO_FLAGS;
  return ThreadCreateEx(tid, &params, entry, arg);
}

int ThreadJoin(uv_thread_t* tid) {
  if (IsZygoteThread(*tid)) return 0;
  return -pthread_join(*tid, nullptr);
}

int ThreadDetach(uv_thread_t* tid) {
  if (IsZygoteThread(*tid)) return 0;
  return -pthread_detach(*tid);
}

template <void** kOriginal, typename T>
void Destroy(T* lock) {
  if (g_forked_child) return;
  reinterpret_cast<void (*)(T*)>(*kOriginal)(lock);
}

}  // namespace

const std::vector<Redirection>& ThreadRedirections() {
  static const std::vector<Redirection> table = {
      {"uv_thread_create_ex", reinterpret_cast<const void*>(&ThreadCreateEx), &g_create_ex, true},
      {"uv_thread_create", reinterpret_cast<const void*>(&ThreadCreate), nullptr, false},
      {"uv_thread_join", reinterpret_cast<const void*>(&ThreadJoin), nullptr, false},
      {"uv_thread_detach", reinterpret_cast<const void*>(&ThreadDetach), nullptr, false},
      {"uv_mutex_destroy", reinterpret_cast<const void*>(&Destroy<&g_mutex_destroy, uv_mutex_t>), &g_mutex_destroy, true},
      {"uv_cond_destroy", reinterpret_cast<const void*>(&Destroy<&g_cond_destroy, uv_cond_t>), &g_cond_destroy, true},
      {"uv_sem_destroy", reinterpret_cast<const void*>(&Destroy<&g_sem_destroy, uv_sem_t>), &g_sem_destroy, true},
      {"uv_rwlock_destroy", reinterpret_cast<const void*>(&Destroy<&g_rwlock_destroy, uv_rwlock_t>), &g_rwlock_destroy,
       true},
      {"uv_barrier_destroy", reinterpret_cast<const void*>(&Destroy<&g_barrier_destroy, uv_barrier_t>),
       &g_barrier_destroy, true},
  };
  return table;
}

void ForgetThreadsAfterFork() {
  g_forked_child = true;
  g_main_thread = pthread_self();
}

void SeedBegan() { g_seed_running = true; }

}  // namespace loopsim::node_host
