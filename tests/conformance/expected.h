// What a conformance program is expected to do under a given node major and backend, read from the
// files next to it (record.sh writes them; README.md describes the scheme):
//
//   NAME.js | .mjs | .cjs | .ts     the entry file (one per NAME)
//   NAME.stdout, NAME.status        what every major prints, unless it has its own:
//   NAME.vM.stdout, NAME.vM.status  major M's output where it differs from the others (M = 18, 20, ...)
//   NAME.B.stdout                   backend B's output (B = epoll, kqueue, iocp) where that platform's
//                                   libuv orders the program's events differently; NAME.B.2.stdout, ...
//                                   further outputs the backend leaves to the seed
//   NAME.vM.B.stdout                major M on backend B, where M differs and B has its own output
//   NAME.outcomes, NAME.vM.outcomes the lines a race program can print (races/)
//
// Lookup for major M on backend B: the first that exists of NAME.vM.B, NAME.B, NAME.vM, NAME (each
// .stdout, with its .2, .3, ... alternates for the per-backend ones); the status is NAME.vM.status, else
// NAME.status. A program that needs a newer node than some majors have says so within its leading
// comment block: `// requires: node >= 22` (or `>= 22.12`, `>= 22.12.1`).
#ifndef LOOPSIM_TESTS_CONFORMANCE_EXPECTED_H_
#define LOOPSIM_TESTS_CONFORMANCE_EXPECTED_H_

#include <compare>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace loopsim::testing {

struct NodeVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;

  auto operator<=>(const NodeVersion&) const = default;
  std::string ToString() const;  // "22.12.0"
};

// "22", "22.12", "v22.12.1": missing parts are 0. Nullopt for anything else.
std::optional<NodeVersion> ParseNodeVersion(absl::string_view text);

// A program: its NAME and its entry file's name in the directory (NAME.js, .mjs, .cjs or .ts).
struct Program {
  std::string name;
  std::string file;
};

// Every entry file in `dir`, sorted by name. A NAME with two entry files (NAME.js and NAME.mjs) would
// share its expected files: DuplicateProgramNames reports them.
std::vector<Program> ListPrograms(const std::string& dir);
std::vector<std::string> DuplicateProgramNames(const std::string& dir);

// The leading comment block of a program: the lines before the first one that is neither blank nor a
// `//` comment (a `#!` first line is skipped), each without its `//` and the space after it.
absl::StatusOr<std::vector<std::string>> LeadingComment(const std::string& path);

// The version in the program's `// requires: node >= X[.Y[.Z]]` line, nullopt when it has none. An
// unreadable file or a malformed requires line is an error.
absl::StatusOr<std::optional<NodeVersion>> MinimumVersion(const std::string& path);

// The files holding what NAME may print under major M on backend B, in the lookup order above: one
// path, or several where the backend allows several outputs; empty when none exists.
std::vector<std::string> ExpectedOutputPaths(const std::string& dir, const std::string& name, int major,
                                             const std::string& backend);
// Their contents.
std::vector<std::string> ExpectedOutputs(const std::string& dir, const std::string& name, int major,
                                         const std::string& backend);

// The exit status NAME must give under major M (NAME.vM.status, else NAME.status).
absl::StatusOr<int> ExpectedStatus(const std::string& dir, const std::string& name, int major);

// The outcome file of race NAME under major M (NAME.vM.outcomes, else NAME.outcomes); empty when neither
// exists.
std::string ExpectedOutcomesPath(const std::string& dir, const std::string& name, int major);

// The majors M that have a per-major file of NAME (NAME.vM.*), ascending, each once.
std::vector<int> PerMajorFileMajors(const std::string& dir, const std::string& name);

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_CONFORMANCE_EXPECTED_H_
