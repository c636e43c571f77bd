// The trace: what happened in a simulated run, one JSON object per line (JSON Lines). Every event carries
// the virtual time in nanoseconds, the loop iteration and the phase it happened in. The trace is part of
// the determinism contract: the same script, seed, backend and faults give the same bytes. A running
// hash of the events lets a run be compared with another without keeping the file. It is taken over
// each event's parts (time, thread, iteration, phase, name and fields, each string with its length), a
// word at a time, not over the formatted line: a line says exactly these parts, so the same lines give
// the same hash, and a run that writes no file (the explorer's) formats no line. A chained
// setImmediate writes six events an iteration; formatting and hashing them byte by byte took longer
// than the iteration itself.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "fakeos/base/hash.h"

namespace loopsim {

class Trace {
 public:
  Trace() = default;
  ~Trace();
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  // Starts writing to path ("" keeps only the hash). Returns false if the file cannot be created.
  bool Open(const std::string& path);
  void Close();

  // Appends one event. `fields` is a sequence of ,"key":value pairs already in JSON (may be empty).
  // `thread` numbers the thread whose loop the event belongs to: 0, the main thread, is not written.
  void Event(int64_t time_ns, uint32_t thread, uint64_t iteration, std::string_view phase, std::string_view event,
             std::string_view fields);

  uint64_t hash() const { return hash_; }
  uint64_t events() const { return events_; }

 private:
  void WriteLine(int64_t time_ns, uint32_t thread, uint64_t iteration, std::string_view phase,
                 std::string_view event, std::string_view fields);

  std::FILE* file_ = nullptr;
  std::string line_;  // the event being formatted, kept so its storage is reused by the next

  uint64_t hash_ = kFnv1a64Basis;  // any fixed start will do; this one is the project's basis
  uint64_t events_ = 0;
};

}  // namespace loopsim
