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

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "fakeos/base/check.h"
#include "fakeos/base/hash.h"
#include "fakeos/base/trace_schema.h"

namespace loopsim {

// The event hash, inline: the loop traces about six events an iteration, each with a few fields whose
// keys and names are the schema's constants, so at each call the compiler knows a string's length and
// folds the branches on it.
namespace trace_hash {

// One step: a multiply and a shift fold each 64-bit word in, so a word moves every bit of the result
// (each step is a bijection of the running value for a given word).
inline uint64_t Mix(uint64_t hash, uint64_t word) {
  hash ^= word;
  hash *= 0x9e3779b97f4a7c15ULL;
  return hash ^ (hash >> 32);
}

inline uint64_t Load8(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

inline uint64_t Load4(const char* p) {
  uint32_t word;
  std::memcpy(&word, p, 4);
  return word;
}

// The bytes of a string of 1 to 8 as one word, read without a byte loop (whose byte stores the word's
// load would have to wait for): from 4 bytes up, its first and last four, overlapping below 8; below 4,
// its first, middle and last byte. Of two strings of one length, equal words mean equal strings.
inline uint64_t ShortWord(const char* p, size_t n) {
  if (n >= 4) return Load4(p) | (Load4(p + n - 4) << 32);
  return static_cast<uint64_t>(static_cast<uint8_t>(p[0])) |
         static_cast<uint64_t>(static_cast<uint8_t>(p[n / 2])) << 8 |
         static_cast<uint64_t>(static_cast<uint8_t>(p[n - 1])) << 16;
}

// A string: its first word with its length (and a tag, e.g. a field's kind) folded into its top bits,
// then a word per 8 bytes, the last one read as the string's last 8 bytes (overlapping the one before
// unless the length is a multiple of 8). Trace keys and names are short: most take one step.
inline uint64_t MixString(uint64_t hash, std::string_view s, uint64_t tag = 0) {
  const char* p = s.data();
  const size_t n = s.size();
  const uint64_t length = std::rotr(static_cast<uint64_t>(n), 8) ^ (tag << 48);
  if (n <= 8) return Mix(hash, (n == 0 ? 0 : ShortWord(p, n)) ^ length);
  hash = Mix(hash, Load8(p) ^ length);
  for (size_t i = 8; i + 8 < n; i += 8) hash = Mix(hash, Load8(p + i));
  return Mix(hash, Load8(p + n - 8));
}

// What kind of value a field's hash folds in with its key: a name and a number that print alike
// ("1" and 1) hash apart, as their text differs.
enum FieldKind : uint64_t { kNameField = 1, kIntField = 2, kUintField = 3, kMembersField = 4 };

}  // namespace trace_hash

// An event's own fields, in the order they are added: each is written ,"key":value. Keys are the schema's
// (trace::key); string values are names (trace::kind, an fs operation, a handle type) that need no JSON
// escaping. A TraceFields may be cleared and reused, which keeps its storage.
class TraceFields {
 public:
  // Whether fields keep their JSON text as well as their hash: only while a trace file is open (Trace
  // says so), since nothing else reads the text. Threads take turns, so one switch serves them all.
  static void KeepText(bool keep) { keep_text_ = keep; }

  TraceFields& Name(std::string_view key, std::string_view name) {
    hash_ = trace_hash::MixString(trace_hash::MixString(hash_, key, trace_hash::kNameField), name);
    if (keep_text_) AppendNameText(key, name);
    return *this;
  }
  TraceFields& Int(std::string_view key, int64_t value) {
    hash_ = trace_hash::Mix(trace_hash::MixString(hash_, key, trace_hash::kIntField), static_cast<uint64_t>(value));
    if (keep_text_) AppendIntText(key, value);
    return *this;
  }
  TraceFields& Uint(std::string_view key, uint64_t value) {
    hash_ = trace_hash::Mix(trace_hash::MixString(hash_, key, trace_hash::kUintField), value);
    if (keep_text_) AppendUintText(key, value);
    return *this;
  }
  // Members of a JSON object the program wrote itself ("\"a\":1,\"b\":2", without the braces), spliced
  // in as they are.
  TraceFields& Members(std::string_view json_members);
  TraceFields& Append(const TraceFields& more) {
    hash_ = trace_hash::Mix(hash_, more.hash_);
    text_ += more.text_;
    return *this;
  }
  void Clear() {
    text_.clear();
    hash_ = 0;
  }

  std::string_view text() const { return text_; }  // empty unless KeepText(true)
  uint64_t hash() const { return hash_; }          // of the keys and values, in order

 private:
  // The text of a field, written only while a trace file is open.
  void AppendKeyText(std::string_view key);
  void AppendNameText(std::string_view key, std::string_view name);
  void AppendIntText(std::string_view key, int64_t value);
  void AppendUintText(std::string_view key, uint64_t value);

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
             const TraceFields& fields) {
    LS_CHECK_MSG(!event.empty(), "a trace event without a name");
    uint64_t hash = trace_hash::Mix(hash_, static_cast<uint64_t>(time_ns));
    // The iteration in the low 40 bits (a trillion iterations), the thread above it, the phase on top.
    hash = trace_hash::Mix(hash, iteration ^ (uint64_t{thread} << 40) ^ (static_cast<uint64_t>(phase) << 56));
    hash = trace_hash::MixString(hash, event);
    hash_ = trace_hash::Mix(hash, fields.hash());
    ++events_;
    if (file_ != nullptr) WriteLine(time_ns, thread, iteration, phase, event, fields);
  }

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
