// The minimised timeline in words: reads two traces of the same program, the failing schedule's and the
// plain schedule's (every decision 0), and says what happened in a different order, e.g.
// "fs read #2 completed before fs write #1 (in the plain schedule: after it)" or
// "timer #244 fired before check #245 ran". Callbacks are named by what the trace says of them: handles
// by kind and id, fs requests by operation and the order they were submitted in ("fs read #2" is the
// second read the program submitted), which stays meaningful when the two runs number requests apart.
// Node's per-iteration housekeeping handles (idle, prepare) are left out; so is the start-up
// ("outside" the loop) file system work.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fakeos/chooser.h"
#include "sim/trace_events.h"

namespace loopsim::sim {

// One callback the loop made, the first time it was made for that label.
struct Happening {
  std::string label;  // "timer #244", "fs read #2"
  std::string verb;   // "fired", "completed", "ran"
  int64_t t_ns = 0;   // since the first event of the trace
  uint64_t iteration = 0;
  std::string phase;
};
std::vector<Happening> Happenings(const std::vector<TraceEvent>& trace);

// Sentences saying which callbacks of the failing run came before ones they followed in the plain run.
std::vector<std::string> ExplainOrder(const std::vector<Happening>& plain, const std::vector<Happening>& failing,
                                      size_t max_lines);

// The failing run's callbacks, one line each: "  2.066 ms  iteration 3  timers  timer #244 fired".
std::vector<std::string> DescribeTimeline(const std::vector<Happening>& failing, size_t max_lines);

// A decision in words: "decision 7: cpu-cost took alternative 12 of 16 (plain: 0)".
std::string DescribeDecision(size_t index, const Decision& d);

}  // namespace loopsim::sim
