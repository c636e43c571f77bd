// The virtual clock. Monotonic time starts at a fixed boot instant and moves only when the simulation
// moves it: by the CPU-time model while callbacks run, and by jumps to the next event when nothing is
// runnable. Wall-clock time is a fixed epoch plus the monotonic time since boot, so Date.now() is the
// same in every run of a seed and differs only where the schedule made time pass differently.
#pragma once

#include <cstdint>

#include "fakeos/base/check.h"
#include "fakeos/base/time.h"

namespace loopsim {

class Clock {
 public:
  // Monotonic time at boot: 1,000 s, so uptime-like values look plausible and are never zero.
  static constexpr Nanos kBoot = Seconds(1000);
  // Wall-clock time at boot: 2026-01-01T00:00:00Z.
  static constexpr Nanos kWallAtBoot = Seconds(1767225600);

  Nanos Now() const { return now_; }
  Nanos SinceBoot() const { return now_ - kBoot; }
  Nanos Wall() const { return kWallAtBoot + SinceBoot(); }

  void Advance(Nanos d) {
    LS_CHECK(d.ns >= 0);
    now_ += d;
  }
  // Back to the boot instant: only a booting runtime's rehearsal, which nothing outside it saw.
  void RewindToBoot() { now_ = kBoot; }
  void AdvanceTo(Nanos t) {
    LS_CHECK(t >= now_);
    now_ = t;
  }

 private:
  Nanos now_ = kBoot;
};

}  // namespace loopsim
