// See trace.h.
#include "fakeos/base/trace.h"

#include <bit>
#include <charconv>
#include <cstring>

#include "fakeos/base/check.h"

namespace loopsim {

Trace::~Trace() { Close(); }

bool Trace::Open(const std::string& path) {
  Close();
  if (path.empty()) return true;
  file_ = std::fopen(path.c_str(), "w");
  TraceFields::KeepText(file_ != nullptr);
  return file_ != nullptr;
}

void Trace::Close() {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
    TraceFields::KeepText(false);
  }
}

namespace {

// One step of the event hash: a multiply and a shift fold each 64-bit word in, so a word moves every
// bit of the result (each step is a bijection of the running value for a given word).
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
uint64_t MixString(uint64_t hash, std::string_view s, uint64_t tag = 0) {
  const char* p = s.data();
  const size_t n = s.size();
  const uint64_t length = std::rotr(static_cast<uint64_t>(n), 8) ^ (tag << 48);
  if (n <= 8) return Mix(hash, (n == 0 ? 0 : ShortWord(p, n)) ^ length);
  hash = Mix(hash, Load8(p) ^ length);
  for (size_t i = 8; i + 8 < n; i += 8) hash = Mix(hash, Load8(p + i));
  return Mix(hash, Load8(p + n - 8));
}

template <typename Integer>
void AppendDecimal(std::string* out, Integer value) {
  char digits[24];
  const std::to_chars_result r = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, r.ptr);
}

}  // namespace

// What kind of value a field's hash folds in with its key: a name and a number that print alike
// ("1" and 1) hash apart, as their text differs.
enum FieldKind : uint64_t { kNameField = 1, kIntField = 2, kUintField = 3, kMembersField = 4 };

void TraceFields::Key(std::string_view key, uint64_t kind) {
  hash_ = MixString(hash_, key, kind);
  if (!keep_text_) return;
  text_ += ",\"";
  text_ += key;
  text_ += "\":";
}

TraceFields& TraceFields::Name(std::string_view key, std::string_view name) {
  Key(key, kNameField);
  hash_ = MixString(hash_, name);
  if (!keep_text_) return *this;
  LS_CHECK_MSG(name.find_first_of("\"\\") == std::string_view::npos, "a trace name that JSON would need to escape");
  text_ += '"';
  text_ += name;
  text_ += '"';
  return *this;
}

TraceFields& TraceFields::Int(std::string_view key, int64_t value) {
  Key(key, kIntField);
  hash_ = Mix(hash_, static_cast<uint64_t>(value));
  if (keep_text_) AppendDecimal(&text_, value);
  return *this;
}

TraceFields& TraceFields::Uint(std::string_view key, uint64_t value) {
  Key(key, kUintField);
  hash_ = Mix(hash_, value);
  if (keep_text_) AppendDecimal(&text_, value);
  return *this;
}

TraceFields& TraceFields::Members(std::string_view json_members) {
  if (json_members.empty()) return *this;
  hash_ = MixString(hash_, json_members, kMembersField);
  if (!keep_text_) return *this;
  text_ += ',';
  text_ += json_members;
  return *this;
}

TraceFields& TraceFields::Append(const TraceFields& more) {
  hash_ = Mix(hash_, more.hash_);
  text_ += more.text_;
  return *this;
}

void Trace::Event(int64_t time_ns, uint32_t thread, uint64_t iteration, trace::Phase phase,
                  std::string_view event, const TraceFields& fields) {
  LS_CHECK_MSG(!event.empty(), "a trace event without a name");
  uint64_t hash = Mix(hash_, static_cast<uint64_t>(time_ns));
  // The iteration in the low 40 bits (a trillion iterations), the thread above it, the phase on top.
  hash = Mix(hash, iteration ^ (uint64_t{thread} << 40) ^ (static_cast<uint64_t>(phase) << 56));
  hash = MixString(hash, event);
  hash_ = Mix(hash, fields.hash());
  ++events_;
  if (file_ != nullptr) WriteLine(time_ns, thread, iteration, phase, event, fields);
}

void Trace::WriteLine(int64_t time_ns, uint32_t thread, uint64_t iteration, trace::Phase phase,
                      std::string_view event, const TraceFields& fields) {
  std::string& line = line_;
  line.clear();
  line += "{\"";
  line += trace::key::kTime;
  line += "\":";
  AppendDecimal(&line, time_ns);
  if (thread != 0) {
    line += ",\"";
    line += trace::key::kThread;
    line += "\":";
    AppendDecimal(&line, static_cast<uint64_t>(thread));
  }
  line += ",\"";
  line += trace::key::kIteration;
  line += "\":";
  AppendDecimal(&line, iteration);
  line += ",\"";
  line += trace::key::kPhase;
  line += "\":\"";
  line += trace::PhaseName(phase);
  line += "\",\"";
  line += trace::key::kEvent;
  line += "\":\"";
  line += event;
  line += '"';
  line += fields.text();
  line += "}\n";
  std::fwrite(line.data(), 1, line.size(), file_);
}

}  // namespace loopsim
