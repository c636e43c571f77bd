// Virtual time: integer nanoseconds, wrapped so a duration cannot be mistaken for an instant or for
// milliseconds. Nothing in loopsim's simulated paths reads the host's clock.
#pragma once

#include <cstdint>
#include <compare>

namespace loopsim {

struct Nanos {
  int64_t ns = 0;

  constexpr auto operator<=>(const Nanos&) const = default;
  constexpr Nanos operator+(Nanos o) const { return {ns + o.ns}; }
  constexpr Nanos operator-(Nanos o) const { return {ns - o.ns}; }
  constexpr Nanos& operator+=(Nanos o) { ns += o.ns; return *this; }
};

constexpr Nanos Microseconds(int64_t us) { return {us * 1000}; }
constexpr Nanos Milliseconds(int64_t ms) { return {ms * 1000 * 1000}; }
constexpr Nanos Seconds(int64_t s) { return {s * 1000 * 1000 * 1000}; }

}  // namespace loopsim
