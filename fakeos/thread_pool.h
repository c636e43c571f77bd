// The thread-pool model: N workers (4 by default, as libuv's) that take queued work in FIFO order. How
// long each piece of work runs is the chooser's, so completions come back in any order real threads
// could produce. The work itself runs for real, on the simulation's only thread, at the instant the
// model says it finishes; its completion is then handed back to whoever submitted it.
//
// Fault model: none; latency only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>

#include "fakeos/base/time.h"

namespace loopsim {

class Kernel;

using WorkId = uint64_t;

class ThreadPool {
 public:
  ThreadPool(Kernel& kernel, int size);

  // Queues work. At its finishing instant `work` runs and then `done` (both on the simulation thread).
  WorkId Submit(std::function<void()> work, std::function<void()> done);
  // Removes work that no worker has started yet. Returns false if it already started (or finished).
  bool Cancel(WorkId id);
  int size() const { return size_; }
  int busy() const { return busy_; }
  size_t queued() const { return queue_.size(); }

  // Work durations: kMin plus a chosen number of kStep steps, below kSteps.
  static constexpr Nanos kMin = Microseconds(20);
  static constexpr Nanos kStep = Microseconds(10);
  static constexpr uint64_t kSteps = 64;

 private:
  struct Item {
    std::function<void()> work;
    std::function<void()> done;
  };
  void StartQueued();

  Kernel& kernel_;
  int size_;
  int busy_ = 0;
  WorkId next_id_ = 1;
  std::deque<WorkId> queue_;
  std::map<WorkId, Item> items_;
};

}  // namespace loopsim
