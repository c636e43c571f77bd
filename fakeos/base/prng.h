// The project's only source of randomness: a small integer PRNG with golden test vectors, and the seed
// tree that gives each subsystem its own independent stream.
//
// xoshiro256** (Blackman and Vigna) seeded through SplitMix64. It is integer-only and defined bit for bit
// here, so its output is the same with every compiler and standard library (std distributions are not).
// Probabilities are integer ratios; there is no floating point anywhere in a decision.
#pragma once

#include <cstdint>

namespace loopsim {

// SplitMix64: expands one 64-bit value into a well-mixed sequence. Used to seed streams.
uint64_t SplitMix64(uint64_t& state);

class Prng {
 public:
  explicit Prng(uint64_t seed);

  uint64_t Next();
  // Uniform in [0, n), n >= 1, without modulo bias.
  uint64_t Below(uint64_t n);
  // True with probability num/den (0 <= num <= den, den >= 1).
  bool Chance(uint64_t num, uint64_t den);

 private:
  uint64_t s_[4];
};

// The subsystems that draw randomness. The numbering is part of the seed contract: a stream's seed is
// derived from the master seed and this number, so adding a draw to one stream never moves another.
// Append new streams at the end; never renumber.
enum class Stream : uint32_t {
  kScheduler = 0,   // which ready event goes first
  kCpu = 1,         // how long JavaScript callbacks take
  kThreadPool = 2,  // thread-pool work durations
  kNetwork = 3,     // latency, segmentation
  kFaults = 4,      // fault injection
  kEntropy = 5,     // bytes handed to the program (crypto, uv_random)
  kV8 = 6,          // V8's own seeds (Math.random, hash seed)
  kThreads = 7,     // which thread of the process runs next
  kCount = 8,
};

// The seed of one stream of a master seed.
uint64_t StreamSeed(uint64_t master_seed, Stream stream);

}  // namespace loopsim
