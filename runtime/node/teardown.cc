// See teardown.h. Each replacement has its entry's C++ ABI: a member function takes `this` first.
#include "runtime/node/teardown.h"

#include <cstdlib>

#include "runtime/node/recycle.h"
#include "runtime/runtime.h"

namespace loopsim::node_host {

namespace {

bool ProgramOver() { return runtime::Runtime::Started() && runtime::Runtime::Get().program_over(); }

// An entry that takes `Args` (a member function takes `this` first) and that, once the program is over,
// leaves what it would free as it is: freeing an environment's objects one by one writes to every page
// they are on (copying each in a forked child). Until then it runs the binary's own code.
template <Symbol kName, typename... Args>
using UntilProgramOver = SkippableEntry<kName, ProgramOver, Args...>;

// node::DefaultProcessExitHandlerInternal(Environment*, ExitCode) (Node 20 on), where process.exit()
// ends: it stops the environment's workers, the tracing agent and the platform, then calls exit(). From
// Node 22 on, stopping the platform closes a loop of the real libuv and unmaps its io_uring rings,
// shared mappings a recycled child cannot make again, so a child whose seed called process.exit() ended
// instead of recycling itself (and the next seed paid a fork). In a child that recycles itself it calls
// exit() at once: the program is over, the run ends there with the same code, and what it skips frees
// what the restore puts back anyway (a child with a worker still running does not recycle).
struct ProcessExitHandler {
  static inline void* original = nullptr;
  static void Call(void* env, int code) {
    if (Recycling()) std::exit(code);  // the host's exit (EndProcess)
    reinterpret_cast<void (*)(void*, int)>(original)(env, code);
  }
  static Redirection redirection() {
    return {"_ZN4node33DefaultProcessExitHandlerInternalEPNS_11EnvironmentENS_8ExitCodeE",
            reinterpret_cast<const void*>(&Call), &original, true};
  }
};

}  // namespace

// v8::Isolate::Dispose() (Node 18 to 22) and node::MultiIsolatePlatform::DisposeIsolate(v8::Isolate*)
// (Node 24 on), node::TearDownOncePerProcess(), and, where the binary has them, node::Environment's and
// node::IsolateData's destructors: the deleting one (D0, what `delete` calls through the vtable) and the
// complete-object one (D1, the same code as D2), and process.exit()'s handler where the binary has it
// (not Debian's Node 18). A null group: optional.
const std::vector<PlatformEntry>& TeardownEntries() {
  static const std::vector<PlatformEntry> table = {
      {UntilProgramOver<"_ZN2v87Isolate7DisposeEv", void*>::redirection(), "dispose isolate"},
      {UntilProgramOver<"_ZN4node20MultiIsolatePlatform14DisposeIsolateEPN2v87IsolateE", void*, void*>::redirection(),
       "dispose isolate"},
      {UntilProgramOver<"_ZN4node22TearDownOncePerProcessEv">::redirection(), "tear down process"},
      {UntilProgramOver<"_ZN4node11EnvironmentD0Ev", void*>::redirection(), nullptr},
      {UntilProgramOver<"_ZN4node11EnvironmentD1Ev", void*>::redirection(), nullptr},
      {UntilProgramOver<"_ZN4node11IsolateDataD0Ev", void*>::redirection(), nullptr},
      {UntilProgramOver<"_ZN4node11IsolateDataD1Ev", void*>::redirection(), nullptr},
      {ProcessExitHandler::redirection(), nullptr},
  };
  return table;
}

}  // namespace loopsim::node_host
