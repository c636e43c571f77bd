// Native addons: a `.node` file (require, process.dlopen) is host code. Its constructors run as it is
// loaded and everything it does afterwards reaches the host directly, past the simulated kernel, so a
// run that loads one can change the host and is no longer decided by its seed. Once the program has
// begun, the host refuses to load a shared object that is not already in the process unless the seed
// was started with --allow-addons (SeedLaunch::allow_addons).
//
// On Linux node loads an addon with the C library's dlopen and reports a failure with dlerror()'s text
// (node's DLib::Open), not through libuv's uv_dlopen, so the refusal is here: dlopen answers NULL and
// the next dlerror on the same thread gives the refusal, which process.dlopen throws as
// "Error: loopsim refused the native addon FILE ...". Boot (the boot script loads this very library as
// its bridge) and objects the process has already mapped are never refused; neither is dlopen(NULL).
#include <dlfcn.h>

#include <string>

#include "runtime/node/host.h"

namespace {

using DlopenFn = void* (*)(const char*, int);
using DlerrorFn = char* (*)();

DlopenFn RealDlopen() {
  static const auto real = reinterpret_cast<DlopenFn>(dlsym(RTLD_NEXT, "dlopen"));
  return real;
}

// The refusal dlerror reports once, per thread as dlerror's own state is.
thread_local std::string g_refusal;
thread_local bool g_refusal_pending = false;

}  // namespace

extern "C" {

void* dlopen(const char* file, int mode) {
  if (file == nullptr || loopsim::node_host::MayLoadAddons()) return RealDlopen()(file, mode);
  if (void* mapped = RealDlopen()(file, RTLD_LAZY | RTLD_NOLOAD)) {
    dlclose(mapped);
    return RealDlopen()(file, mode);
  }
  g_refusal = std::string("loopsim refused the native addon ") + file +
              ": its code would run on the host, outside the simulation (loopsim --allow-addons loads it)";
  g_refusal_pending = true;
  return nullptr;
}

char* dlerror(void) {
  if (g_refusal_pending) {
    g_refusal_pending = false;
    return g_refusal.data();
  }
  static const auto real = reinterpret_cast<DlerrorFn>(dlsym(RTLD_NEXT, "dlerror"));
  return real();
}

}  // extern "C"
