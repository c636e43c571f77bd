// FNV-1a, 64 bits: the hash loopsim names contents by (a trace, a program's main script, the bytes of
// its stdin). Not cryptographic: it tells "the same bytes" from "other bytes" for files a user keeps,
// not against an adversary. Resumable: Fnv1a64(b, Fnv1a64(a)) == Fnv1a64(a + b).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace loopsim {

inline constexpr uint64_t kFnv1a64Basis = 14695981039346656037ULL;

inline uint64_t Fnv1a64(std::string_view bytes, uint64_t hash = kFnv1a64Basis) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

// The hash as files and messages show it: 16 lower-case hex digits.
inline std::string HashHex(uint64_t hash) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace loopsim
