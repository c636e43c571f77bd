// Which node binary runs the program: `--node PATH`, else the LOOPSIM_NODE environment variable, else
// the `node` found on PATH, as a shell would find it. loopsim runs that binary itself, unmodified, with
// its host library preloaded (runtime/node/host.h).
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace loopsim::sim {

// The node to use, as an absolute path (symbolic links kept: a version manager's shim stays the shim).
// `flag` is --node's value ("" when not given).
absl::StatusOr<std::string> ResolveNode(const std::string& flag);

// What `node --version` prints ("v22.23.5"), or an error when the binary does not run. Asked once per
// path and process.
absl::StatusOr<std::string> NodeVersion(const std::string& node);

// The host library that is preloaded into node (next to this executable's build, or installed beside it).
std::string HostLibraryPath();

}  // namespace loopsim::sim
