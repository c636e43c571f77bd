// The lines of a text (a trace, a program's stderr) as views into it. A final newline ends the last line
// rather than starting an empty one; empty lines inside the text are kept.
#pragma once

#include <string_view>
#include <vector>

namespace loopsim::sim {

inline std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace loopsim::sim
