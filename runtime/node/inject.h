// Taking over an unmodified node binary from inside: finds the object that defines libuv's API (the
// executable, for official builds that link libuv statically, or the shared libuv Debian's node uses)
// and the one that defines OpenSSL's RAND_* functions, checks that every entry can be redirected safely,
// then redirects them (redirects.h). A binary that cannot be handled safely is refused before anything
// is written, with the reason: an unexpected libuv version, a `uv_*` export loopsim does not know, a
// compiler-made copy of an entry that callers may use instead of it, an entry too short for a jump, CET
// landing pads, or a Node without the V8 internals the seed's reseeding needs.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace loopsim::node_host {

// The oldest and newest libuv the simulation follows (UV_VERSION_HEX form).
inline constexpr uint32_t kOldestLibuv = 0x012c00;  // 1.44.0, Debian's Node 18
inline constexpr uint32_t kNewestLibuv = 0x0134ff;  // 1.52.x, Node 24 and 26

struct Injection {
  uint32_t libuv_version = 0;   // the binary's uv_version()
  std::string libuv_object;     // the file whose entries were redirected
  int redirected = 0;           // entries redirected (libuv and OpenSSL)
  int passed_through = 0;       // uv_* exports left to the binary (pure utilities)
};

// Checks the process's node and redirects its entries. Runs once, before node's own initialisation,
// with one thread in the process.
absl::StatusOr<Injection> InjectIntoNode();

}  // namespace loopsim::node_host
