// Every uv_* function libnode imports is either simulated by loopsim (defined in the loopsim executable)
// or on the written list of pure utilities in runtime/uv/passthrough.txt; nothing else may fall through to
// the real libuv. The test reads the installed libnode's imports and the executable's exports with nm.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>

namespace {

std::set<std::string> NmSymbols(const std::string& args, bool dynamic = true) {
  std::set<std::string> out;
  std::string cmd = std::string(dynamic ? "nm -D " : "nm ") + args + " 2>/dev/null";
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
    // Compiler-made parts of a function (uv_close.cold) are not functions of their own.
    if (name.rfind("uv_", 0) == 0 && name.find('.') == std::string::npos) out.insert(name);
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
  const std::set<std::string> defined = NmSymbols("--defined-only " LOOPSIM_HOST_LIBRARY, false);
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
  std::set<std::string> defined = NmSymbols("--defined-only " LOOPSIM_HOST_LIBRARY, false);
  // What the host defines besides the simulated libuv: thread and lock functions for fork safety.
  for (const char* host_own : {"uv_thread_create", "uv_thread_create_ex", "uv_thread_join", "uv_thread_detach"}) {
    defined.erase(host_own);
  }
  for (const std::string& name : defined) EXPECT_TRUE(listed.count(name)) << name << " is missing from functions.inc";
  for (const std::string& name : listed) EXPECT_TRUE(defined.count(name)) << name << " is listed but not defined";
}

TEST(UvSurface, ThePureUtilityListNamesOnlyRealImports) {
  const std::set<std::string> imports = NmSymbols("--undefined-only " LIBNODE_LIBRARY);
  for (const std::string& name : Passthrough()) EXPECT_TRUE(imports.count(name)) << name;
}

}  // namespace
