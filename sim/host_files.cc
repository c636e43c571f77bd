// See host_files.h.
#include "sim/host_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "absl/status/status.h"
#include "runtime/node/launch.h"

namespace loopsim::sim {

absl::StatusOr<std::string> ReadFile(const std::string& path) { return node_host::ReadHostFile(path); }

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc | std::ios::binary);
  out << text;
  out.close();
  if (!out) return absl::InternalError("cannot write " + path);
  return absl::OkStatus();
}

std::string RealPath(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  std::string out = resolved != nullptr ? resolved : "";
  std::free(resolved);
  return out;
}

bool IsFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

absl::StatusOr<std::string> TempFile(const std::string& prefix, const std::string& suffix) {
  std::string path = "/tmp/" + prefix + "-XXXXXX" + suffix;
  const int fd = ::mkstemps(path.data(), static_cast<int>(suffix.size()));
  if (fd < 0) return absl::InternalError("cannot create a temporary file in /tmp");
  ::close(fd);
  return path;
}

}  // namespace loopsim::sim
