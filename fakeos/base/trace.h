// The trace: what happened in a simulated run, one JSON object per line (JSON Lines). Every event carries
// the virtual time in nanoseconds, the loop iteration and the phase it happened in. The trace is part of
// the determinism contract: the same script, seed, backend and faults give the same bytes. A running
// hash of the events lets a run be compared with another without keeping the file. It is taken over
// each event's parts (time, thread, iteration, phase, name, and each field's key and value, each string
// with its length), a word at a time, not over the formatted line: a line says exactly these parts, so
// the same lines give the same hash, and a run that writes no file (the explorer's) formats no line, not
// even its fields. Every name an event is written with comes from fakeos/base/trace_schema.h; an event's
// own fields are built with TraceFields, never spliced from string fragments.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "fakeos/base/hash.h"
#include "fakeos/base/trace_schema.h"

namespace loopsim {

// An event's own fields, in the order they are added: each is written ,"key":value. Keys are the schema's
// (trace::key); string values are names (trace::kind, an fs operation, a handle type) that need no JSON
// escaping. A TraceFields may be cleared and reused, which keeps its storage.
class TraceFields {
 public:
  // Whether fields keep their JSON text as well as their hash: only while a trace file is open (Trace
  // says so), since nothing else reads the text. Threads take turns, so one switch serves them all.
  static void KeepText(bool keep) { keep_text_ = keep; }

  TraceFields& Name(std::string_view key, std::string_view name);
  TraceFields& Int(std::string_view key, int64_t value);
  TraceFields& Uint(std::string_view key, uint64_t value);
  // Members of a JSON object the program wrote itself ("\"a\":1,\"b\":2", without the braces), spliced
  // in as they are.
  TraceFields& Members(std::string_view json_members);
  TraceFields& Append(const TraceFields& more);
  void Clear() {
    text_.clear();
    hash_ = 0;
  }

  std::string_view text() const { return text_; }  // empty unless KeepText(true)
  uint64_t hash() const { return hash_; }          // of the keys and values, in order

 private:
  void Key(std::string_view key, uint64_t kind);

  static inline bool keep_text_ = false;
  std::string text_;
  uint64_t hash_ = 0;
};

class Trace {
 public:
  Trace() = default;
  ~Trace();
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  // Starts writing to path ("" keeps only the hash). Returns false if the file cannot be created.
  bool Open(const std::string& path);
  void Close();

  // Appends one event: its time, thread, iteration, phase and name, then `fields`. `thread` numbers the
  // thread whose loop the event belongs to: 0, the main thread, is not written.
  void Event(int64_t time_ns, uint32_t thread, uint64_t iteration, trace::Phase phase, std::string_view event,
             const TraceFields& fields);

  uint64_t hash() const { return hash_; }
  uint64_t events() const { return events_; }

 private:
  void WriteLine(int64_t time_ns, uint32_t thread, uint64_t iteration, trace::Phase phase, std::string_view event,
                 const TraceFields& fields);

  std::FILE* file_ = nullptr;
  std::string line_;  // the event being formatted, kept so its storage is reused by the next

  uint64_t hash_ = kFnv1a64Basis;  // any fixed start will do; this one is the project's basis
  uint64_t events_ = 0;
};

}  // namespace loopsim
