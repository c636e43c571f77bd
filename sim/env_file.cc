// See env_file.h.
#include "sim/env_file.h"

namespace loopsim::sim {

namespace {

std::string Trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

}  // namespace

bool IsEnvName(const std::string& name) {
  return !name.empty() && name.find('=') == std::string::npos && name.find('\0') == std::string::npos;
}

absl::StatusOr<EnvList> ParseEnvFile(const std::string& text, const std::string& where) {
  EnvList out;
  size_t pos = 0, line_no = 0;
  auto error = [&](size_t line, const std::string& what) {
    return absl::InvalidArgumentError(where + ":" + std::to_string(line) + ": " + what);
  };
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const size_t first_line = ++line_no;
    std::string line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = Trim(line.substr(7));
    const size_t eq = line.find('=');
    if (eq == std::string::npos) return error(first_line, "not NAME=VALUE: '" + line + "'");
    const std::string name = Trim(line.substr(0, eq));
    if (!IsEnvName(name) || name.find_first_of(" \t") != std::string::npos) {
      return error(first_line, "not a variable's name: '" + name + "'");
    }
    std::string value = Trim(line.substr(eq + 1));
    const char quote = value.empty() ? '\0' : value[0];
    if (quote == '"' || quote == '\'' || quote == '`') {
      // The value runs to the matching quote, on this line or a later one.
      std::string body = value.substr(1);
      size_t close = body.find(quote);
      while (close == std::string::npos && pos < text.size()) {
        size_t next = text.find('\n', pos);
        if (next == std::string::npos) next = text.size();
        body += "\n" + text.substr(pos, next - pos);
        pos = next + 1;
        ++line_no;
        close = body.find(quote);
      }
      if (close == std::string::npos) return error(first_line, std::string("no closing ") + quote + " for " + name);
      value = body.substr(0, close);
      if (quote == '"') {
        std::string expanded;
        for (size_t i = 0; i < value.size(); ++i) {
          if (value[i] == '\\' && i + 1 < value.size() && value[i + 1] == 'n') {
            expanded += '\n';
            ++i;
          } else {
            expanded += value[i];
          }
        }
        value = expanded;
      }
    } else if (const size_t hash = value.find(" #"); hash != std::string::npos) {
      value = Trim(value.substr(0, hash));
    }
    out.emplace_back(name, value);
  }
  return out;
}

}  // namespace loopsim::sim
