// The lookup of expected.h: which file says what a program must print under a node major and backend.
#include "expected.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "tests/support/files.h"

namespace loopsim::testing {
namespace {

constexpr absl::string_view kEntryExtensions[] = {".js", ".mjs", ".cjs", ".ts"};

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// A non-negative decimal number, the whole of `text`.
std::optional<int> ParseNumber(absl::string_view text) {
  int value = 0;
  if (text.empty() || text.size() > 6) return std::nullopt;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string> DirectoryEntries(const std::string& dir) {
  std::vector<std::string> files;
  DIR* handle = opendir(dir.c_str());
  if (handle == nullptr) return files;
  while (dirent* entry = readdir(handle)) files.emplace_back(entry->d_name);
  closedir(handle);
  std::sort(files.begin(), files.end());
  return files;
}

// NAME.BASE.stdout, then NAME.BASE.2.stdout, NAME.BASE.3.stdout, ... while they exist (BASE being e.g.
// "iocp" or "v22.iocp"); empty when the first does not exist.
std::vector<std::string> WithAlternates(const std::string& dir, const std::string& name, const std::string& base) {
  std::vector<std::string> paths;
  const std::string first = dir + "/" + name + "." + base + ".stdout";
  if (!Exists(first)) return paths;
  paths.push_back(first);
  for (int n = 2;; ++n) {
    const std::string next = absl::StrCat(dir, "/", name, ".", base, ".", n, ".stdout");
    if (!Exists(next)) break;
    paths.push_back(next);
  }
  return paths;
}

}  // namespace

std::string NodeVersion::ToString() const { return absl::StrCat(major, ".", minor, ".", patch); }

std::optional<NodeVersion> ParseNodeVersion(absl::string_view text) {
  absl::ConsumePrefix(&text, "v");
  int parts[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    const size_t dot = text.find('.');
    const std::optional<int> number = ParseNumber(text.substr(0, dot));
    if (!number) return std::nullopt;
    parts[i] = *number;
    if (dot == absl::string_view::npos) return NodeVersion{parts[0], parts[1], parts[2]};
    text.remove_prefix(dot + 1);
  }
  return std::nullopt;  // More than three parts.
}

std::vector<Program> ListPrograms(const std::string& dir) {
  std::vector<Program> programs;
  for (const std::string& file : DirectoryEntries(dir)) {
    for (absl::string_view extension : kEntryExtensions) {
      if (file.size() > extension.size() && absl::EndsWith(file, extension)) {
        programs.push_back({file.substr(0, file.size() - extension.size()), file});
        break;
      }
    }
  }
  std::sort(programs.begin(), programs.end(),
            [](const Program& a, const Program& b) { return std::tie(a.name, a.file) < std::tie(b.name, b.file); });
  return programs;
}

std::vector<std::string> DuplicateProgramNames(const std::string& dir) {
  std::map<std::string, int> count;
  for (const Program& program : ListPrograms(dir)) ++count[program.name];
  std::vector<std::string> duplicates;
  for (const auto& [name, n] : count) {
    if (n > 1) duplicates.push_back(name);
  }
  return duplicates;
}

absl::StatusOr<std::vector<std::string>> LeadingComment(const std::string& path) {
  std::string text;
  if (!ReadFile(path, &text)) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<std::string> comment;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (number == 1 && absl::StartsWith(line, "#!")) continue;
    absl::string_view rest = absl::StripAsciiWhitespace(line);
    if (rest.empty()) continue;
    if (!absl::ConsumePrefix(&rest, "//")) break;
    absl::ConsumePrefix(&rest, " ");
    comment.emplace_back(rest);
  }
  return comment;
}

absl::StatusOr<std::optional<NodeVersion>> MinimumVersion(const std::string& path) {
  absl::StatusOr<std::vector<std::string>> comment = LeadingComment(path);
  if (!comment.ok()) return comment.status();
  for (const std::string& line : *comment) {
    if (!absl::StrContains(line, "requires:")) continue;
    const auto malformed = [&] {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": malformed requires line (expected `// requires: node >= X[.Y[.Z]]`): ", line));
    };
    absl::string_view rest = absl::StripAsciiWhitespace(line);
    if (!absl::ConsumePrefix(&rest, "requires:")) return malformed();
    rest = absl::StripLeadingAsciiWhitespace(rest);
    if (!absl::ConsumePrefix(&rest, "node")) return malformed();
    rest = absl::StripLeadingAsciiWhitespace(rest);
    if (!absl::ConsumePrefix(&rest, ">=")) return malformed();
    const std::optional<NodeVersion> version = ParseNodeVersion(absl::StripAsciiWhitespace(rest));
    if (!version || absl::StartsWith(absl::StripAsciiWhitespace(rest), "v")) return malformed();
    return version;
  }
  return std::optional<NodeVersion>();
}

std::vector<std::string> ExpectedOutputPaths(const std::string& dir, const std::string& name, int major,
                                             const std::string& backend) {
  const std::string v = absl::StrCat("v", major);
  if (std::vector<std::string> paths = WithAlternates(dir, name, v + "." + backend); !paths.empty()) return paths;
  if (std::vector<std::string> paths = WithAlternates(dir, name, backend); !paths.empty()) return paths;
  for (const std::string& path : {absl::StrCat(dir, "/", name, ".", v, ".stdout"), dir + "/" + name + ".stdout"}) {
    if (Exists(path)) return {path};
  }
  return {};
}

std::vector<std::string> ExpectedOutputs(const std::string& dir, const std::string& name, int major,
                                         const std::string& backend) {
  std::vector<std::string> outputs;
  for (const std::string& path : ExpectedOutputPaths(dir, name, major, backend)) {
    std::string text;
    if (ReadFile(path, &text)) outputs.push_back(std::move(text));
  }
  return outputs;
}

absl::StatusOr<int> ExpectedStatus(const std::string& dir, const std::string& name, int major) {
  std::string path = absl::StrCat(dir, "/", name, ".v", major, ".status");
  if (!Exists(path)) path = dir + "/" + name + ".status";
  std::string text;
  if (!ReadFile(path, &text)) {
    return absl::NotFoundError(
        absl::StrCat("missing ", name, ".status: record it with tests/conformance/record.sh ", name));
  }
  const std::optional<int> status = ParseNumber(absl::StripAsciiWhitespace(text));
  if (!status) return absl::InvalidArgumentError(absl::StrCat(path, " does not hold one number: ", text));
  return *status;
}

std::string ExpectedOutcomesPath(const std::string& dir, const std::string& name, int major) {
  for (const std::string& path :
       {absl::StrCat(dir, "/", name, ".v", major, ".outcomes"), dir + "/" + name + ".outcomes"}) {
    if (Exists(path)) return path;
  }
  return "";
}

std::vector<int> PerMajorFileMajors(const std::string& dir, const std::string& name) {
  std::set<int> majors;
  const std::string prefix = name + ".v";
  for (const std::string& file : DirectoryEntries(dir)) {
    if (!absl::StartsWith(file, prefix)) continue;
    absl::string_view rest = absl::string_view(file).substr(prefix.size());
    const size_t dot = rest.find('.');
    if (dot == absl::string_view::npos) continue;
    if (const std::optional<int> major = ParseNumber(rest.substr(0, dot))) majors.insert(*major);
  }
  return {majors.begin(), majors.end()};
}

}  // namespace loopsim::testing
