// See trace.h.
#include "fakeos/base/trace.h"

#include <charconv>

#include "fakeos/base/check.h"

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

template <typename Integer>
void AppendDecimal(std::string* out, Integer value) {
  char digits[24];
  const std::to_chars_result r = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, r.ptr);
}

}  // namespace

void TraceFields::Key(std::string_view key) {
  text_ += ",\"";
  text_ += key;
  text_ += "\":";
}

TraceFields& TraceFields::Name(std::string_view key, std::string_view name) {
  LS_CHECK_MSG(name.find_first_of("\"\\") == std::string_view::npos, "a trace name that JSON would need to escape");
  Key(key);
  text_ += '"';
  text_ += name;
  text_ += '"';
  return *this;
}

TraceFields& TraceFields::Int(std::string_view key, int64_t value) {
  Key(key);
  AppendDecimal(&text_, value);
  return *this;
}

TraceFields& TraceFields::Uint(std::string_view key, uint64_t value) {
  Key(key);
  AppendDecimal(&text_, value);
  return *this;
}

TraceFields& TraceFields::Members(std::string_view json_members) {
  if (json_members.empty()) return *this;
  text_ += ',';
  text_ += json_members;
  return *this;
}

TraceFields& TraceFields::Append(const TraceFields& more) {
  text_ += more.text_;
  return *this;
}

void Trace::Event(int64_t time_ns, uint32_t thread, uint64_t iteration, trace::Phase phase,
                  std::string_view event, const TraceFields& fields) {
  LS_CHECK_MSG(!event.empty(), "a trace event without a name");
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
  Write(line);
  ++events_;
}

}  // namespace loopsim
