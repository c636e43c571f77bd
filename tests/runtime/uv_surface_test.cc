// The libuv surface loopsim answers for, held against the node binaries it runs under: every uv_*
// function a node binary exports (the machine's `node`, and the official builds ci/setup unpacks under
// build/third_party/node-VERSION/bin/node) or Debian's libnode imports is either simulated (listed in
// runtime/uv/functions.inc, the set the host redirects, and defined by the host library) or a pure
// utility left to the binary's own libuv (runtime/uv/passthrough.txt), never both; and every name on
// either list is one some binary exports or libnode imports. The test reads symbols with nm; binaries
// that are absent are skipped with a message.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/files.h"

namespace {

std::string Run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

// The uv_* symbols nm lists: the dynamic table's, or (dynamic false) the full table's, without the
// compiler-made parts of functions (uv_close.cold).
std::set<std::string> NmSymbols(const std::string& args, bool dynamic = true) {
  std::set<std::string> out;
  const std::string text = Run(std::string(dynamic ? "nm -D " : "nm ") + args + " 2>/dev/null");
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string s = text.substr(start, end - start);
    start = end + 1;
    while (!s.empty() && s.back() == ' ') s.pop_back();
    const size_t space = s.rfind(' ');
    std::string name = space == std::string::npos ? s : s.substr(space + 1);
    const size_t at = name.find('@');
    if (at != std::string::npos) name = name.substr(0, at);
    if (name.rfind("uv_", 0) == 0 && name.find('.') == std::string::npos) out.insert(name);
  }
  return out;
}

// runtime/uv/passthrough.txt: the functions the host leaves to the real libuv, one a line.
std::set<std::string> Passthrough() {
  return loopsim::testing::ListedLines(loopsim::testing::Slurp(LOOPSIM_PASSTHROUGH));
}

// runtime/uv/functions.inc: what the library simulates and the host redirects.
std::set<std::string> FunctionList() {
  std::set<std::string> out;
  std::ifstream in(LOOPSIM_FUNCTIONS);
  std::string line;
  while (std::getline(in, line)) {
    for (const std::string prefix : {"LOOPSIM_UV(", "LOOPSIM_UV_OVERLOADED("}) {
      if (line.rfind(prefix, 0) == 0) out.insert(line.substr(prefix.size(), line.find_first_of("),") - prefix.size()));
    }
  }
  return out;
}

// The node binaries found, by path, with their `--version`.
std::map<std::string, std::string> NodeBinaries() {
  std::map<std::string, std::string> found;
  std::string machine = Run("command -v node 2>/dev/null");
  while (!machine.empty() && machine.back() == '\n') machine.pop_back();
  std::vector<std::string> candidates;
  if (!machine.empty()) {
    candidates.push_back(machine);
  } else {
    std::printf("uv_surface_test: no `node` on PATH, skipping the machine's node\n");
  }
  std::error_code ec;
  std::set<std::string> unpacked;  // in name order
  for (const auto& entry : std::filesystem::directory_iterator(LOOPSIM_THIRD_PARTY, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("node-", 0) != 0) continue;
    const std::filesystem::path bin = entry.path() / "bin" / "node";
    if (std::filesystem::exists(bin)) unpacked.insert(bin.string());
  }
  if (unpacked.empty()) std::printf("uv_surface_test: no official node under %s/node-*/bin\n", LOOPSIM_THIRD_PARTY);
  candidates.insert(candidates.end(), unpacked.begin(), unpacked.end());
  for (const std::string& path : candidates) {
    std::string version = Run("'" + path + "' --version 2>/dev/null");
    while (!version.empty() && version.back() == '\n') version.pop_back();
    found[path] = version;
    std::printf("uv_surface_test: node %s at %s\n", version.c_str(), path.c_str());
  }
  return found;
}

void ExpectOnExactlyOneList(const std::string& name, const std::string& where, const std::set<std::string>& simulated,
                            const std::set<std::string>& pure) {
  const bool is_simulated = simulated.count(name) != 0;
  const bool is_pure = pure.count(name) != 0;
  EXPECT_TRUE(is_simulated || is_pure) << name << " (" << where << ") is neither simulated nor a listed pure utility";
  EXPECT_FALSE(is_simulated && is_pure) << name << " (" << where << ") is both simulated and a pure utility";
}

TEST(UvSurface, EveryLibnodeImportIsSimulatedOrAPureUtility) {
  const std::set<std::string> imports = NmSymbols("--undefined-only " LIBNODE_LIBRARY);
  ASSERT_GT(imports.size(), 200u) << "could not read libnode's imports with nm";
  const std::set<std::string> defined = NmSymbols("--defined-only " LOOPSIM_HOST_LIBRARY, false);
  const std::set<std::string> pure = Passthrough();
  ASSERT_FALSE(pure.empty());
  for (const std::string& name : imports) ExpectOnExactlyOneList(name, "libnode 18", defined, pure);
}

TEST(UvSurface, EveryNodeBinaryExportIsSimulatedOrAPureUtility) {
  const std::map<std::string, std::string> binaries = NodeBinaries();
  if (binaries.empty()) GTEST_SKIP() << "no node binary found";
  const std::set<std::string> simulated = FunctionList();
  const std::set<std::string> pure = Passthrough();
  for (const auto& [path, version] : binaries) {
    const std::set<std::string> exports = NmSymbols("--defined-only '" + path + "'");
    ASSERT_GT(exports.size(), 250u) << "could not read the exports of " << path;
    for (const std::string& name : exports) ExpectOnExactlyOneList(name, "node " + version, simulated, pure);
  }
}

// runtime/uv/functions.inc, the list the Node host redirects, names exactly what the library defines.
TEST(UvSurface, TheFunctionListNamesEverySimulatedFunction) {
  const std::set<std::string> listed = FunctionList();
  ASSERT_GT(listed.size(), 150u);
  const std::set<std::string> defined = NmSymbols("--defined-only " LOOPSIM_HOST_LIBRARY, false);
  for (const std::string& name : defined) EXPECT_TRUE(listed.count(name)) << name << " is missing from functions.inc";
  for (const std::string& name : listed) EXPECT_TRUE(defined.count(name)) << name << " is listed but not defined";
}

// A name on either list that no binary exports and libnode does not import is a stale entry (or a typo).
// Judged only when a binary of every supported major is there, since each major adds exports.
TEST(UvSurface, EveryListedNameIsExportedOrImportedSomewhere) {
  const std::map<std::string, std::string> binaries = NodeBinaries();
  std::set<std::string> majors;
  for (const auto& [path, version] : binaries) majors.insert(version.substr(0, version.find('.')));
  std::string missing;
  for (const char* major : {"v20", "v22", "v24", "v26"}) {
    if (!majors.count(major)) missing += std::string(missing.empty() ? "" : ", ") + major;
  }
  if (!missing.empty()) GTEST_SKIP() << "no node binary of " << missing << " found (ci/setup unpacks them)";
  std::set<std::string> known = NmSymbols("--undefined-only " LIBNODE_LIBRARY);
  for (const auto& [path, version] : binaries) {
    for (const std::string& name : NmSymbols("--defined-only '" + path + "'")) known.insert(name);
  }
  std::set<std::string> listed = FunctionList();
  for (const std::string& name : Passthrough()) listed.insert(name);
  for (const std::string& name : listed) EXPECT_TRUE(known.count(name)) << name << " is exported by no node binary";
}

}  // namespace
