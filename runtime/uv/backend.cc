// Choosing the loop's backend by name (backend_names.h). What each backend follows is written at the
// top of its own file: epoll_backend.cc, kqueue_backend.cc, iocp_backend.cc.
#include "runtime/uv/backend.h"

#include <iterator>

#include "runtime/uv/backend_names.h"

namespace loopsim::uv {

std::unique_ptr<Backend> NewBackend(std::string_view name, Kernel& kernel) {
  using Factory = std::unique_ptr<Backend> (*)(Kernel&);
  // In the order of kBackendNames.
  static constexpr Factory kFactories[] = {NewEpollBackend, NewKqueueBackend, NewIocpBackend};
  static_assert(std::size(kFactories) == kBackendNames.size());
  for (size_t i = 0; i < kBackendNames.size(); ++i) {
    if (kBackendNames[i] == name) return kFactories[i](kernel);
  }
  return nullptr;
}

}  // namespace loopsim::uv
