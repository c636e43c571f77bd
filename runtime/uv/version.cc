// See version.h.
#include "runtime/uv/version.h"

#include <cstdio>
#include <string>

#include "runtime/runtime.h"

namespace loopsim::uv {

uint32_t LibuvVersion() { return runtime::Runtime::Get().options().libuv_version; }

bool Follows(Change change) { return LibuvVersion() >= static_cast<uint32_t>(change); }

}  // namespace loopsim::uv

extern "C" {

// The version the simulation follows is the version the program's libuv reports.
unsigned int uv_version(void) { return loopsim::uv::LibuvVersion(); }

const char* uv_version_string(void) {
  static char text[16];
  const unsigned v = loopsim::uv::LibuvVersion();
  std::snprintf(text, sizeof(text), "%u.%u.%u", (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
  return text;
}

}  // extern "C"
