// Which entries of the user's node binary (or of the libuv it links) the host takes over, and where each
// call goes.
//
// Every libuv function the simulated libuv defines (runtime/uv/functions.inc) is redirected to a
// dispatcher that looks at what the call is about: a call on the simulated loop, or on one of its handles
// or requests, or on no loop at all (uv_hrtime, uv_os_*, uv_cwd, ...), runs loopsim's function; a call on
// another loop (Node's platform scheduler, a watchdog: they run on real libuv, see README.md) runs the
// binary's own code through its trampoline. Calls that reach the simulation must come from the thread
// that runs it; one that comes from another thread ends the run with a message naming the function, as
// it would otherwise be host nondeterminism. A few process-wide reads are safe from any thread.
//
// Besides libuv's API, the host takes over thread creation and joining and the destruction of locks
// (threads.h: a forked zygote child has none of the zygote's threads), OpenSSL's RAND_* entry points
// (entropy comes from the seed), and node's platform's worker threads (background.h).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace loopsim::node_host {

struct Redirection {
  std::string name;
  const void* replacement = nullptr;
  void** original = nullptr;   // where the trampoline to the binary's own code is stored (null: unused)
  bool needs_original = false;  // host loops call it: a binary whose entry cannot be passed through is refused
};

// An entry's symbol as a template argument (written as a string literal, hence the implicit
// constructor), so that each SkippableEntry gets a slot of its own.
template <size_t N>
struct Symbol {
  constexpr Symbol(const char (&text)[N]) { std::copy_n(text, N, name); }
  char name[N];
};

// An entry whose calls the host drops at times: a call runs the binary's own code (through the trampoline
// in `original`) with its arguments, unless kSkip() says to return at once. redirection() is the entry's
// row: its symbol, Call, and the slot, which must be filled.
template <Symbol kName, bool (*kSkip)(), typename... Args>
struct SkippableEntry {
  static inline void* original = nullptr;
  static void Call(Args... args) {
    if (kSkip()) return;
    reinterpret_cast<void (*)(Args...)>(original)(args...);
  }
  static Redirection redirection() { return {kName.name, reinterpret_cast<const void*>(&Call), &original, true}; }
};

// The libuv functions (functions.inc, plus threads.h's) and the OpenSSL entropy functions. Node's
// platform's entries are background.h's.
const std::vector<Redirection>& UvRedirections();
// Where the real libuv's code is: the functions of a statically linked libuv (uv_* and uv__*, by their
// symbols), or a shared libuv's whole text. A call from there is the real libuv's own use of its API (a
// real loop's uv_loop_init making its signal pipe with uv_pipe), which the binary's own code answers even
// where it takes no loop to decide by.
void SetLibuvCode(std::vector<std::pair<uintptr_t, uintptr_t>> ranges);
const std::vector<Redirection>& EntropyRedirections();
// The platform's count of V8 worker threads, and its task runner's (a compiler may call the latter
// directly where it could see which platform it had).
inline constexpr char kWorkerThreadCount[] = "_ZN4node12NodePlatform21NumberOfWorkerThreadsEv";
inline constexpr char kRunnerThreadCount[] = "_ZNK4node23WorkerThreadsTaskRunner21NumberOfWorkerThreadsEv";

}  // namespace loopsim::node_host
