// See redirects.h. A dispatcher is generated per function from its prototype: the first argument that
// names a loop (a loop, a handle, a request that carries its loop, uv_cancel's request by its type)
// decides where the call goes.
#include "runtime/node/redirects.h"

#include <pthread.h>
#include <uv.h>

#include <algorithm>
#include <cstdarg>
#include <string_view>
#include <type_traits>

#include "runtime/node/threads.h"
#include "runtime/runtime.h"
#include "runtime/uv/internal.h"
#include "runtime/uv/threads.h"

extern "C" {
int RAND_bytes(unsigned char* buf, int num);
int RAND_priv_bytes(unsigned char* buf, int num);
int RAND_pseudo_bytes(unsigned char* buf, int num);
int RAND_bytes_ex(void* ctx, unsigned char* buf, size_t num, unsigned int strength);
int RAND_priv_bytes_ex(void* ctx, unsigned char* buf, size_t num, unsigned int strength);
int RAND_status(void);
int RAND_poll(void);
}

namespace loopsim::node_host {

namespace {

enum class Subject { kNone, kSimulated, kHost };

Subject OfLoop(const uv_loop_t* loop) {
  if (loop == nullptr) return Subject::kNone;
  return uv::IsSimulatedLoop(loop) ? Subject::kSimulated : Subject::kHost;
}

template <typename T>
constexpr bool kIsHandle =
    std::is_same_v<T, uv_handle_t> || std::is_same_v<T, uv_stream_t> || std::is_same_v<T, uv_tcp_t> ||
    std::is_same_v<T, uv_udp_t> || std::is_same_v<T, uv_pipe_t> || std::is_same_v<T, uv_tty_t> ||
    std::is_same_v<T, uv_poll_t> || std::is_same_v<T, uv_timer_t> || std::is_same_v<T, uv_prepare_t> ||
    std::is_same_v<T, uv_check_t> || std::is_same_v<T, uv_idle_t> || std::is_same_v<T, uv_async_t> ||
    std::is_same_v<T, uv_process_t> || std::is_same_v<T, uv_fs_event_t> || std::is_same_v<T, uv_fs_poll_t> ||
    std::is_same_v<T, uv_signal_t>;

// Requests that carry their loop.
template <typename T>
constexpr bool kIsLoopRequest = std::is_same_v<T, uv_fs_t> || std::is_same_v<T, uv_work_t> ||
                                std::is_same_v<T, uv_getaddrinfo_t> || std::is_same_v<T, uv_getnameinfo_t> ||
                                std::is_same_v<T, uv_random_t>;

Subject OfRequest(const uv_req_t* req) {
  switch (req->type) {
    case UV_FS: return OfLoop(reinterpret_cast<const uv_fs_t*>(req)->loop);
    case UV_WORK: return OfLoop(reinterpret_cast<const uv_work_t*>(req)->loop);
    case UV_GETADDRINFO: return OfLoop(reinterpret_cast<const uv_getaddrinfo_t*>(req)->loop);
    case UV_GETNAMEINFO: return OfLoop(reinterpret_cast<const uv_getnameinfo_t*>(req)->loop);
    case UV_RANDOM: return OfLoop(reinterpret_cast<const uv_random_t*>(req)->loop);
    default: return Subject::kNone;
  }
}

template <typename T>
Subject SubjectOf(T arg) {
  if constexpr (std::is_pointer_v<T>) {
    using P = std::remove_cv_t<std::remove_pointer_t<T>>;
    if (arg == nullptr) return Subject::kNone;
    if constexpr (std::is_same_v<P, uv_loop_t>) {
      return OfLoop(arg);
    } else if constexpr (kIsHandle<P>) {
      return OfLoop(reinterpret_cast<const uv_handle_t*>(arg)->loop);
    } else if constexpr (kIsLoopRequest<P>) {
      return OfLoop(arg->loop);
    } else if constexpr (std::is_same_v<P, uv_req_t>) {
      return OfRequest(arg);
    } else {
      return Subject::kNone;
    }
  } else {
    return Subject::kNone;
  }
}

template <typename T>
constexpr bool kIsLoop = std::is_same_v<std::remove_cv_t<std::remove_pointer_t<T>>, uv_loop_t> && std::is_pointer_v<T>;

// A function that takes a loop is decided by it (its handles and requests may not be initialised yet:
// uv_timer_init, uv_fs_open); otherwise by its first handle or request.
template <typename... A>
Subject Decide(A... args) {
  Subject s = Subject::kNone;
  if constexpr ((kIsLoop<A> || ...)) {
    ((s = kIsLoop<A> ? SubjectOf(args) : s), ...);
  } else {
    ((s = s == Subject::kNone ? SubjectOf(args) : s), ...);
  }
  return s;
}

std::vector<std::pair<uintptr_t, uintptr_t>>* g_libuv_code = nullptr;  // sorted, disjoint [begin, end)

bool FromLibuv(const void* return_address) {
  if (g_libuv_code == nullptr) return false;
  const auto a = reinterpret_cast<uintptr_t>(return_address);
  auto it = std::upper_bound(g_libuv_code->begin(), g_libuv_code->end(), std::make_pair(a, UINTPTR_MAX));
  return it != g_libuv_code->begin() && a < std::prev(it)->second;
}

// Process-wide reads that may come from any thread (Node's platform threads read the clock).
bool AnyThread(std::string_view name) {
  return name == "uv_hrtime" || name == "uv_clock_gettime" || name == "uv_os_getpid" || name == "uv_os_getppid" ||
         name == "uv_available_parallelism" || name == "uv_default_loop";
}

[[noreturn]] void NoOriginal(const char* name) {
  runtime::Runtime::Get().Halt(runtime::Stop::kUnsupported,
                               std::string(name) + " was called on one of Node's own loops, but this binary's " +
                                   name + " cannot be passed through");
}

[[noreturn]] void WrongThread(const char* name) {
  runtime::Runtime::Get().Halt(runtime::Stop::kUnsupported,
                               std::string(name) + " reached the simulated loop from one of Node's own threads");
}

template <auto kSim>
struct Slot {
  static inline void* original = nullptr;
  static inline const char* name = nullptr;
  static inline bool any_thread = false;
};

template <typename F>
struct Dispatch;

template <typename R, typename... A>
struct Dispatch<R (*)(A...)> {
  template <R (*kSim)(A...)>
  static R Call(A... args) {
    const Subject subject = Decide(args...);
    if (subject == Subject::kHost ||
        (subject == Subject::kNone && Slot<kSim>::original != nullptr && FromLibuv(__builtin_return_address(0)))) {
      void* original = Slot<kSim>::original;
      if (original == nullptr) NoOriginal(Slot<kSim>::name);
      return reinterpret_cast<R (*)(A...)>(original)(args...);
    }
    if (!Slot<kSim>::any_thread && !uv::OnSimulationThread()) WrongThread(Slot<kSim>::name);
    return kSim(args...);
  }
};

// The functions Node's own loops use (the platform's delayed-task scheduler, the watchdog): their
// originals must be callable.
bool HostLoopsNeed(std::string_view name) {
  for (const char* n : {"uv_loop_init", "uv_loop_close", "uv_run", "uv_stop", "uv_walk", "uv_close", "uv_async_init",
                        "uv_async_send", "uv_timer_init", "uv_timer_start", "uv_timer_stop", "uv_now",
                        "uv_update_time", "uv_ref", "uv_unref", "uv_is_active", "uv_is_closing", "uv_loop_alive"}) {
    if (name == n) return true;
  }
  return false;
}

template <auto kSim>
Redirection Make(const char* name) {
  using F = decltype(kSim);
  Slot<kSim>::name = name;
  Slot<kSim>::any_thread = AnyThread(name);
  return Redirection{name, reinterpret_cast<const void*>(&Dispatch<F>::template Call<kSim>), &Slot<kSim>::original,
                     HostLoopsNeed(name)};
}

// uv_loop_configure is variadic: only UV_LOOP_BLOCK_SIGNAL takes an argument (the signal), an int.
int LoopConfigure(uv_loop_t* loop, uv_loop_option option, ...) {
  va_list ap;
  va_start(ap, option);
  const int arg = option == UV_LOOP_BLOCK_SIGNAL ? va_arg(ap, int) : 0;
  va_end(ap);
  if (OfLoop(loop) == Subject::kHost) {
    void* original = Slot<&uv_loop_configure>::original;
    if (original == nullptr) NoOriginal("uv_loop_configure");
    return reinterpret_cast<int (*)(uv_loop_t*, uv_loop_option, ...)>(original)(loop, option, arg);
  }
  return uv_loop_configure(loop, option, arg);
}

template <>
Redirection Make<&::uv_loop_configure>(const char* name) {
  Slot<&::uv_loop_configure>::name = name;
  return Redirection{name, reinterpret_cast<const void*>(&LoopConfigure), &Slot<&::uv_loop_configure>::original,
                     false};
}

// A loop is simulated when it is the default loop or a simulated thread's (a worker's): the first loop
// a worker's thread initialises becomes one. Node's own loops (the platform's, the watchdog's, and the
// private loop spawnSync and execSync run their child on) are initialised on threads of their own, on
// the main thread, or on a worker's thread that has its loop already, and stay the binary's: a worker's
// spawnSync runs as the main thread's does.
int LoopInit(uv_loop_t* loop) {
  if (uv::OnWorkerThread() && !uv::OwnsSimulatedLoop()) return uv_loop_init(loop);
  void* original = Slot<&::uv_loop_init>::original;
  if (original == nullptr) NoOriginal("uv_loop_init");
  return reinterpret_cast<int (*)(uv_loop_t*)>(original)(loop);
}

template <>
Redirection Make<&::uv_loop_init>(const char* name) {
  Slot<&::uv_loop_init>::name = name;
  return Redirection{name, reinterpret_cast<const void*>(&LoopInit), &Slot<&::uv_loop_init>::original, true};
}

// uv_spawn never starts a host process. On one of Node's own loops (spawnSync and execSync run their
// child on a private loop) the command is judged as on the simulated loop (process.cc): a node program
// ends the run, any other command fails with UV_ENOENT. The failure happens inside the binary's own
// uv_spawn, so that the handle is left exactly as that libuv leaves a failed spawn (initialised, on its
// loop, not active) for Node to close: a stdio slot that inherits descriptor -1 makes every libuv of
// 1.44-1.52 return UV_EINVAL after it has initialised the handle and before it opens a pipe or forks.
int Spawn(uv_loop_t* loop, uv_process_t* process, const uv_process_options_t* options) {
  if (OfLoop(loop) != Subject::kHost) return Dispatch<decltype(&::uv_spawn)>::Call<&::uv_spawn>(loop, process, options);
  uv::JudgeSpawn(options);
  void* original = Slot<&::uv_spawn>::original;
  if (original == nullptr) NoOriginal("uv_spawn");
  uv_stdio_container_t failing_stdio{};
  failing_stdio.flags = UV_INHERIT_FD;
  failing_stdio.data.fd = -1;
  uv_process_options_t failing = *options;
  failing.stdio = &failing_stdio;
  failing.stdio_count = 1;
  const int r = reinterpret_cast<int (*)(uv_loop_t*, uv_process_t*, const uv_process_options_t*)>(original)(
      loop, process, &failing);
  LS_CHECK_MSG(r == UV_EINVAL, "the binary's uv_spawn did not refuse a stdio slot of descriptor -1");
  return UV_ENOENT;
}

template <>
Redirection Make<&::uv_spawn>(const char* name) {
  Slot<&::uv_spawn>::name = name;
  return Redirection{name, reinterpret_cast<const void*>(&Spawn), &Slot<&::uv_spawn>::original, true};
}

}  // namespace

void SetLibuvCode(std::vector<std::pair<uintptr_t, uintptr_t>> ranges) {
  std::sort(ranges.begin(), ranges.end());
  g_libuv_code = new std::vector<std::pair<uintptr_t, uintptr_t>>(std::move(ranges));
}

const std::vector<Redirection>& UvRedirections() {
  static const std::vector<Redirection>* table = [] {
    auto* t = new std::vector<Redirection>{
#define LOOPSIM_UV(fn) Make<&::fn>(#fn),
#define LOOPSIM_UV_OVERLOADED(fn, type) Make<static_cast<type>(&::fn)>(#fn),
#include "runtime/uv/functions.inc"
#undef LOOPSIM_UV_OVERLOADED
#undef LOOPSIM_UV
    };
    for (const Redirection& r : ThreadRedirections()) t->push_back(r);
    return t;
  }();
  return *table;
}

const std::vector<Redirection>& EntropyRedirections() {
  static const std::vector<Redirection> table = {
      {"RAND_bytes", reinterpret_cast<const void*>(&RAND_bytes)},
      {"RAND_priv_bytes", reinterpret_cast<const void*>(&RAND_priv_bytes)},
      {"RAND_pseudo_bytes", reinterpret_cast<const void*>(&RAND_pseudo_bytes)},
      {"RAND_bytes_ex", reinterpret_cast<const void*>(&RAND_bytes_ex)},
      {"RAND_priv_bytes_ex", reinterpret_cast<const void*>(&RAND_priv_bytes_ex)},
      {"RAND_status", reinterpret_cast<const void*>(&RAND_status)},
      {"RAND_poll", reinterpret_cast<const void*>(&RAND_poll)},
  };
  return table;
}

}  // namespace loopsim::node_host
