// See trace.h.
#include "fakeos/base/trace.h"

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

template <typename Integer>
void AppendDecimal(std::string* out, Integer value) {
  char digits[24];
  const std::to_chars_result r = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, r.ptr);
}

}  // namespace

void TraceFields::AppendKeyText(std::string_view key) {
  text_ += ",\"";
  text_ += key;
  text_ += "\":";
}

void TraceFields::AppendNameText(std::string_view key, std::string_view name) {
  LS_CHECK_MSG(name.find_first_of("\"\\") == std::string_view::npos, "a trace name that JSON would need to escape");
  AppendKeyText(key);
  text_ += '"';
  text_ += name;
  text_ += '"';
}

void TraceFields::AppendIntText(std::string_view key, int64_t value) {
  AppendKeyText(key);
  AppendDecimal(&text_, value);
}

void TraceFields::AppendUintText(std::string_view key, uint64_t value) {
  AppendKeyText(key);
  AppendDecimal(&text_, value);
}

TraceFields& TraceFields::Members(std::string_view json_members) {
  if (json_members.empty()) return *this;
  hash_ = trace_hash::MixString(hash_, json_members, trace_hash::kMembersField);
  if (!keep_text_) return *this;
  text_ += ',';
  text_ += json_members;
  return *this;
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
