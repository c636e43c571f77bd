// See teardown.h. Each replacement has its entry's C++ ABI: a member function takes `this` first.
#include "runtime/node/teardown.h"

#include "runtime/runtime.h"

namespace loopsim::node_host {

namespace {

bool ProgramOver() { return runtime::Runtime::Started() && runtime::Runtime::Get().program_over(); }

void* g_isolate_dispose = nullptr;
void* g_platform_dispose_isolate = nullptr;
void* g_tear_down_once_per_process = nullptr;
void* g_environment_delete = nullptr;
void* g_environment_destroy = nullptr;
void* g_isolate_data_delete = nullptr;
void* g_isolate_data_destroy = nullptr;

// An entry that takes one object (`this`, or the isolate): the binary's own code, whose trampoline
// *original holds, until the program is over. It serves v8::Isolate::Dispose() (Node 18 to 22) and
// node::Environment's and node::IsolateData's destructors, where the binary has them: the deleting one
// (D0, what `delete` calls through the vtable) and the complete-object one (D1, the same code as D2).
// Once the program is over the object is left as it is: freeing an environment's objects one by one
// writes to every page they are on (copying each in a forked child).
template <void** original>
void UntilProgramOver(void* object) {
  if (ProgramOver()) return;
  reinterpret_cast<void (*)(void*)>(*original)(object);
}

// node::MultiIsolatePlatform::DisposeIsolate(v8::Isolate*), Node 24 on.
void PlatformDisposeIsolate(void* platform, void* isolate) {
  if (ProgramOver()) return;
  reinterpret_cast<void (*)(void*, void*)>(g_platform_dispose_isolate)(platform, isolate);
}

// node::TearDownOncePerProcess().
void TearDownOncePerProcess() {
  if (ProgramOver()) return;
  reinterpret_cast<void (*)()>(g_tear_down_once_per_process)();
}

}  // namespace

const std::vector<PlatformEntry>& TeardownEntries() {
  const auto entry = [](const char* name, const void* fn, const char* group, void** original) {
    return PlatformEntry{Redirection{name, fn, original, true}, group};
  };
  // One object's entry: the name, the trampoline's slot, the group (null: optional).
  const auto one = [&entry](const char* name, auto fn, const char* group, void** original) {
    return entry(name, reinterpret_cast<const void*>(fn), group, original);
  };
  static const std::vector<PlatformEntry> table = {
      one("_ZN2v87Isolate7DisposeEv", &UntilProgramOver<&g_isolate_dispose>, "dispose isolate", &g_isolate_dispose),
      entry("_ZN4node20MultiIsolatePlatform14DisposeIsolateEPN2v87IsolateE",
            reinterpret_cast<const void*>(&PlatformDisposeIsolate), "dispose isolate", &g_platform_dispose_isolate),
      entry("_ZN4node22TearDownOncePerProcessEv", reinterpret_cast<const void*>(&TearDownOncePerProcess),
            "tear down process", &g_tear_down_once_per_process),
      one("_ZN4node11EnvironmentD0Ev", &UntilProgramOver<&g_environment_delete>, nullptr, &g_environment_delete),
      one("_ZN4node11EnvironmentD1Ev", &UntilProgramOver<&g_environment_destroy>, nullptr, &g_environment_destroy),
      one("_ZN4node11IsolateDataD0Ev", &UntilProgramOver<&g_isolate_data_delete>, nullptr, &g_isolate_data_delete),
      one("_ZN4node11IsolateDataD1Ev", &UntilProgramOver<&g_isolate_data_destroy>, nullptr, &g_isolate_data_destroy),
  };
  return table;
}

}  // namespace loopsim::node_host
