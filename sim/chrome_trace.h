// The trace in Chrome's Trace Event Format (`--trace-format chrome`), so a run opens as a timeline in
// Perfetto or chrome://tracing: one track per loop phase, each callback a slice lasting until the next
// traced event (virtual time), submissions, closes and program annotations as instants.
#pragma once

#include <string>

#include "absl/status/status.h"

namespace loopsim::sim {

// Reads the JSON Lines trace at jsonl_path and writes its Trace Event Format form to out_path.
// Fails, saying which, when either file cannot be used.
absl::Status ConvertTraceToChrome(const std::string& jsonl_path, const std::string& out_path);

}  // namespace loopsim::sim
