// Every uv_* function libnode imports is either simulated by loopsim (defined in the loopsim executable)
// or on the written list of pure utilities in runtime/uv/passthrough.txt; nothing else may fall through to
// the real libuv. The test reads the installed libnode's imports and the executable's exports with nm.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>

namespace {

std::set<std::string> NmSymbols(const std::string& args) {
  std::set<std::string> out;
  std::string cmd = "nm -D " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char line[1024];
  while (std::fgets(line, sizeof(line), p)) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    const size_t space = s.rfind(' ');
    std::string name = space == std::string::npos ? s : s.substr(space + 1);
    const size_t at = name.find('@');
    if (at != std::string::npos) name = name.substr(0, at);
    if (name.rfind("uv_", 0) == 0) out.insert(name);
  }
  pclose(p);
  return out;
}

std::set<std::string> Passthrough() {
  std::set<std::string> out;
  std::ifstream in(LOOPSIM_PASSTHROUGH);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    out.insert(line);
  }
  return out;
}

TEST(UvSurface, EveryLibnodeImportIsSimulatedOrAPureUtility) {
  const std::set<std::string> imports = NmSymbols("--undefined-only " LIBNODE_LIBRARY);
  ASSERT_GT(imports.size(), 200u) << "could not read libnode's imports with nm";
  const std::set<std::string> defined = NmSymbols("--defined-only " LOOPSIM_BIN);
  const std::set<std::string> passthrough = Passthrough();
  ASSERT_FALSE(passthrough.empty());
  for (const std::string& name : imports) {
    const bool simulated = defined.count(name) != 0;
    const bool pure = passthrough.count(name) != 0;
    EXPECT_TRUE(simulated || pure) << name << " would reach the real libuv";
    EXPECT_FALSE(simulated && pure) << name << " is both simulated and on the pure-utility list";
  }
}

// runtime/uv/functions.inc, the list the Node host redirects, names exactly what the library defines.
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

TEST(UvSurface, TheFunctionListNamesEverySimulatedFunction) {
  const std::set<std::string> listed = FunctionList();
  ASSERT_GT(listed.size(), 150u);
  const std::set<std::string> defined = NmSymbols("--defined-only " LOOPSIM_BIN);
  for (const std::string& name : defined) EXPECT_TRUE(listed.count(name)) << name << " is missing from functions.inc";
  for (const std::string& name : listed) EXPECT_TRUE(defined.count(name)) << name << " is listed but not defined";
}

TEST(UvSurface, ThePureUtilityListNamesOnlyRealImports) {
  const std::set<std::string> imports = NmSymbols("--undefined-only " LIBNODE_LIBRARY);
  for (const std::string& name : Passthrough()) EXPECT_TRUE(imports.count(name)) << name;
}

}  // namespace
