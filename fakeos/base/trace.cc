// See trace.h.
#include "fakeos/base/trace.h"

#include <charconv>

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

void Trace::Write(std::string_view s) {
  hash_ = Fnv1a64(s, hash_);
  if (file_ != nullptr) std::fwrite(s.data(), 1, s.size(), file_);
}

namespace {

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
  Write(line);
  ++events_;
}

}  // namespace loopsim
