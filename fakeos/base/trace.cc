// See trace.h.
#include "fakeos/base/trace.h"

#include <charconv>
#include <cstring>

namespace loopsim {

Trace::~Trace() { Close(); }

bool Trace::Open(const std::string& path) {
  Close();
  if (path.empty()) return true;
  file_ = std::fopen(path.c_str(), "w");
  return file_ != nullptr;
}

void Trace::Close() {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
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

// A string: its length, then its bytes eight at a time (little-endian, the last word zero-padded).
uint64_t MixString(uint64_t hash, std::string_view s) {
  hash = Mix(hash, s.size());
  const char* p = s.data();
  size_t left = s.size();
  for (; left >= 8; left -= 8, p += 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    hash = Mix(hash, word);
  }
  if (left > 0) {
    uint64_t word = 0;
    std::memcpy(&word, p, left);
    hash = Mix(hash, word);
  }
  return hash;
}

void AppendDecimal(std::string* out, uint64_t value) {
  char digits[24];
  const std::to_chars_result r = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, r.ptr);
}

void AppendDecimal(std::string* out, int64_t value) {
  char digits[24];
  const std::to_chars_result r = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, r.ptr);
}

}  // namespace

void Trace::Event(int64_t time_ns, uint32_t thread, uint64_t iteration, std::string_view phase,
                  std::string_view event, std::string_view fields) {
  uint64_t hash = Mix(hash_, static_cast<uint64_t>(time_ns));
  hash = Mix(hash, thread);
  hash = Mix(hash, iteration);
  hash = MixString(hash, phase);
  hash = MixString(hash, event);
  hash_ = MixString(hash, fields);
  ++events_;
  if (file_ != nullptr) WriteLine(time_ns, thread, iteration, phase, event, fields);
}

void Trace::WriteLine(int64_t time_ns, uint32_t thread, uint64_t iteration, std::string_view phase,
                      std::string_view event, std::string_view fields) {
  std::string& line = line_;
  line.clear();
  line += "{\"t\":";
  AppendDecimal(&line, time_ns);
  if (thread != 0) {
    line += ",\"thread\":";
    AppendDecimal(&line, static_cast<uint64_t>(thread));
  }
  line += ",\"iter\":";
  AppendDecimal(&line, iteration);
  line += ",\"phase\":\"";
  line += phase;
  line += "\",\"ev\":\"";
  line += event;
  line += '"';
  line += fields;
  line += "}\n";
  std::fwrite(line.data(), 1, line.size(), file_);
}

}  // namespace loopsim
