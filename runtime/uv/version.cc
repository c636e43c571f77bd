// See version.h.
#include "runtime/uv/version.h"

#include "runtime/runtime.h"

namespace loopsim::uv {

uint32_t LibuvVersion() { return runtime::Runtime::Get().options().libuv_version; }

bool Follows(Change change) { return LibuvVersion() >= static_cast<uint32_t>(change); }

}  // namespace loopsim::uv
