// See teardown.h. Each replacement has its entry's C++ ABI: a member function takes `this` first.
#include "runtime/node/teardown.h"

#include "runtime/runtime.h"

namespace loopsim::node_host {

namespace {

bool ProgramOver() { return runtime::Runtime::Started() && runtime::Runtime::Get().program_over(); }

void* g_isolate_dispose = nullptr;
void* g_platform_dispose_isolate = nullptr;
void* g_tear_down_once_per_process = nullptr;

// v8::Isolate::Dispose(), Node 18 to 22.
void IsolateDispose(void* isolate) {
  if (ProgramOver()) return;
  reinterpret_cast<void (*)(void*)>(g_isolate_dispose)(isolate);
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

void* g_environment_delete = nullptr;
void* g_environment_destroy = nullptr;
void* g_isolate_data_delete = nullptr;
void* g_isolate_data_destroy = nullptr;

// node::Environment's and node::IsolateData's destructors, where the binary has them: the deleting one
// (D0, what `delete` calls through the vtable) and the complete-object one (D1, the same code as D2).
// Once the program is over the object is left as it is: freeing an environment's objects one by one
// writes to every page they are on (copying each in a forked child).
void EnvironmentDelete(void* environment) {
  if (ProgramOver()) return;
  reinterpret_cast<void (*)(void*)>(g_environment_delete)(environment);
}
void EnvironmentDestroy(void* environment) {
  if (ProgramOver()) return;
  reinterpret_cast<void (*)(void*)>(g_environment_destroy)(environment);
}
void IsolateDataDelete(void* data) {
  if (ProgramOver()) return;
  reinterpret_cast<void (*)(void*)>(g_isolate_data_delete)(data);
}
void IsolateDataDestroy(void* data) {
  if (ProgramOver()) return;
  reinterpret_cast<void (*)(void*)>(g_isolate_data_destroy)(data);
}

}  // namespace

const std::vector<PlatformEntry>& TeardownEntries() {
  const auto entry = [](const char* name, const void* fn, const char* group, void** original) {
    return PlatformEntry{Redirection{name, fn, original, true}, group};
  };
  static const std::vector<PlatformEntry> table = {
      entry("_ZN2v87Isolate7DisposeEv", reinterpret_cast<const void*>(&IsolateDispose), "dispose isolate",
            &g_isolate_dispose),
      entry("_ZN4node20MultiIsolatePlatform14DisposeIsolateEPN2v87IsolateE",
            reinterpret_cast<const void*>(&PlatformDisposeIsolate), "dispose isolate", &g_platform_dispose_isolate),
      entry("_ZN4node22TearDownOncePerProcessEv", reinterpret_cast<const void*>(&TearDownOncePerProcess),
            "tear down process", &g_tear_down_once_per_process),
      entry("_ZN4node11EnvironmentD0Ev", reinterpret_cast<const void*>(&EnvironmentDelete), nullptr,
            &g_environment_delete),
      entry("_ZN4node11EnvironmentD1Ev", reinterpret_cast<const void*>(&EnvironmentDestroy), nullptr,
            &g_environment_destroy),
      entry("_ZN4node11IsolateDataD0Ev", reinterpret_cast<const void*>(&IsolateDataDelete), nullptr,
            &g_isolate_data_delete),
      entry("_ZN4node11IsolateDataD1Ev", reinterpret_cast<const void*>(&IsolateDataDestroy), nullptr,
            &g_isolate_data_destroy),
  };
  return table;
}

}  // namespace loopsim::node_host
