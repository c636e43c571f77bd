// Building status messages. Debian's abseil has a string_view of its own (not std::string_view), so
// absl::StrCat does not take the standard views the rest of the code uses; these do.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace loopsim::inject {

template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

inline std::string Message(const absl::Status& status) { return std::string(status.message()); }

}  // namespace loopsim::inject
