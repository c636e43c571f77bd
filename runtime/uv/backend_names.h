// The names of the loop's I/O backends, the values of `--backend`. This is the one list: NewBackend
// (backend.cc) builds a backend from its name, and the command line accepts these names (`explore
// --backend all` runs each, in this order). It is a header of its own, with no kernel in it, so that the
// command line can read it without seeing the loop.
#pragma once

#include <array>
#include <string_view>

namespace loopsim::uv {

inline constexpr std::array<std::string_view, 3> kBackendNames = {"epoll", "kqueue", "iocp"};

}  // namespace loopsim::uv
