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
  };
  return table;
}

}  // namespace loopsim::node_host
