// The host's files as the explorer and the command line use them: read a whole file, write one, resolve
// a path, make a scratch file. These are the real machine's files (a script, a schedule, a report, the
// explorer's scratch), never the simulated program's: that one sees only the virtual file system.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace loopsim::sim {

// The bytes of the file at `path`; NotFound ("cannot read PATH") when it cannot be opened (the host's
// reader, runtime/node/launch.h's ReadHostFile).
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Writes `text` as the whole file at `path`; Internal ("cannot write PATH") when it cannot.
absl::Status WriteFile(const std::string& path, const std::string& text);

// The absolute path with every link resolved; "" when `path` does not lead to anything.
std::string RealPath(const std::string& path);

// Whether `path` is a regular file (after links).
bool IsFile(const std::string& path);

// Creates an empty file /tmp/PREFIX-XXXXXXSUFFIX and returns its path; Internal ("cannot create a
// temporary file in /tmp") when it cannot.
absl::StatusOr<std::string> TempFile(const std::string& prefix, const std::string& suffix);

}  // namespace loopsim::sim
