// See prng.h.
#include "fakeos/base/prng.h"

#include "fakeos/base/check.h"

namespace loopsim {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Prng::Prng(uint64_t seed) {
  uint64_t state = seed;
  for (uint64_t& word : s_) word = SplitMix64(state);
}

static inline uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t Prng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Prng::Below(uint64_t n) {
  LS_CHECK(n >= 1);
  // Rejection sampling: draw again while in the final partial block of 2^64 / n. For a power of two
  // (a callback's cost, a fault's coin) the same numbers come without a division.
  const bool power_of_two = (n & (n - 1)) == 0;
  const uint64_t limit = UINT64_MAX - (power_of_two ? n - 1 : UINT64_MAX % n);
  uint64_t x;
  do {
    x = Next();
  } while (x >= limit);
  return power_of_two ? x & (n - 1) : x % n;
}

bool Prng::Chance(uint64_t num, uint64_t den) {
  LS_CHECK(den >= 1 && num <= den);
  return Below(den) < num;
}

uint64_t StreamSeed(uint64_t master_seed, Stream stream) {
  uint64_t state = master_seed ^ (0x6c6f6f7073696d00ULL + static_cast<uint64_t>(stream));
  SplitMix64(state);
  return SplitMix64(state);
}

}  // namespace loopsim
