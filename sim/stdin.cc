// See stdin.h.
#include "sim/stdin.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/status/status.h"
#include "fakeos/base/hash.h"
#include "sim/host_files.h"

namespace loopsim::sim {

namespace {

bool WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> ReadOwnStdin() {
  struct stat st;
  if (::fstat(0, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode))) return std::nullopt;
  std::string bytes;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::InternalError(std::string("cannot read loopsim's stdin: ") + std::strerror(errno));
    if (n == 0) break;
    bytes.append(buf, static_cast<size_t>(n));
  }
  return bytes;
}

absl::StatusOr<std::string> SaveStdin(const std::string& bytes, const std::string& dir) {
  const std::string path = (dir == "." ? "" : dir + "/") + "loopsim-stdin-" + HashHex(Fnv1a64(bytes));
  {
    absl::StatusOr<std::string> kept = ReadFile(path);
    if (kept.ok() && *kept == bytes) return path;
  }
  // Written under another name and renamed, so that a reader never sees half of it.
  std::string temp = path + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    return absl::InternalError("cannot save the captured stdin next to " + path + ": " + std::strerror(errno));
  }
  const bool written = WriteAll(fd, bytes) && ::fchmod(fd, 0644) == 0;
  ::close(fd);
  if (!written || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return absl::InternalError("cannot save the captured stdin as " + path);
  }
  return path;
}

absl::Status PassOwnStdin(RunFlags* flags) {
  if (!flags->stdin_path.empty()) return absl::OkStatus();
  absl::StatusOr<std::optional<std::string>> bytes = ReadOwnStdin();
  if (!bytes.ok()) return bytes.status();
  if (!*bytes) return absl::OkStatus();
  absl::StatusOr<std::string> path = SaveStdin(**bytes);
  if (!path.ok()) return path.status();
  std::fprintf(stderr, "loopsim: stdin: %zu bytes saved as %s; every seed reads them (--stdin %s)\n", (*bytes)->size(),
               path->c_str(), path->c_str());
  flags->stdin_path = *path;
  return absl::OkStatus();
}

absl::StatusOr<std::string> SaveStdinTemporarily(const std::string& bytes) {
  std::string path = "/tmp/loopsim-stdin-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return absl::InternalError("cannot create a temporary file in /tmp for the captured stdin");
  const bool written = WriteAll(fd, bytes);
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    return absl::InternalError("cannot write the captured stdin to " + path);
  }
  return path;
}

}  // namespace loopsim::sim
