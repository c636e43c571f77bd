// Host isolation: a program that writes, appends, renames, makes directories and deletes files (in its own
// directory, in /tmp and under os.tmpdir()) runs on the virtual file system. Checked two ways: strace shows
// no mutating file syscall on a host path and no write() except to stdout, stderr and the trace file (or
// to loopsim's own pipes and event objects, which are not host files); and afterwards none of the files the
// program created exists on the host.
#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "e2e.h"
#include "tests/support/files.h"

namespace loopsim::testing {
namespace {

std::string FindInPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// One syscall line of `strace -f -y -o LOG`: "PID name(args) = result". Lines that only resume an
// interrupted call ("<... openat resumed>") carry no arguments and are skipped; the "<unfinished ...>"
// half holds the arguments.
struct Syscall {
  std::string name;
  std::string args;  // Everything after the '(' (may be cut by "<unfinished ...>").
  std::string line;
};

bool ParseStraceLine(const std::string& raw, Syscall* call) {
  size_t pos = 0;
  while (pos < raw.size() && std::isdigit(static_cast<unsigned char>(raw[pos]))) ++pos;
  while (pos < raw.size() && raw[pos] == ' ') ++pos;
  if (pos >= raw.size() || raw[pos] == '<' || raw[pos] == '+' || raw[pos] == '-') return false;
  const size_t paren = raw.find('(', pos);
  if (paren == std::string::npos) return false;
  call->name = raw.substr(pos, paren - pos);
  call->args = raw.substr(paren + 1);
  call->line = raw;
  return true;
}

// The first double-quoted string of an argument list, unescaped only as far as strace escapes quotes.
std::string FirstQuoted(const std::string& args) {
  const size_t open = args.find('"');
  if (open == std::string::npos) return "";
  std::string out;
  for (size_t i = open + 1; i < args.size(); ++i) {
    if (args[i] == '\\' && i + 1 < args.size()) {
      out += args[++i];
    } else if (args[i] == '"') {
      break;
    } else {
      out += args[i];
    }
  }
  return out;
}

// For "3</tmp/x>, ..." gives fd 3 and decoration "/tmp/x"; the decoration is empty without -y.
void FdAndDecoration(const std::string& args, int* fd, std::string* decoration) {
  *fd = std::atoi(args.c_str());
  decoration->clear();
  const size_t lt = args.find('<');
  const size_t comma = args.find(',');
  if (lt == std::string::npos || (comma != std::string::npos && lt > comma)) return;
  const size_t gt = args.find(">,", lt);
  if (gt == std::string::npos) return;
  *decoration = args.substr(lt + 1, gt - lt - 1);
}

bool HasFlag(const std::string& args, const std::string& flag) {
  size_t pos = 0;
  while ((pos = args.find(flag, pos)) != std::string::npos) {
    const size_t end = pos + flag.size();
    const bool starts = pos == 0 || args[pos - 1] == '|' || args[pos - 1] == ' ';
    const bool ends = end == args.size() || args[end] == '|' || args[end] == ',' || args[end] == ')';
    if (starts && ends) return true;
    pos = end;
  }
  return false;
}

const std::set<std::string> kOpenCalls = {"open", "openat", "openat2", "creat"};
const std::set<std::string> kMutatingPathCalls = {
    "rename", "renameat", "renameat2", "unlink", "unlinkat", "mkdir", "mkdirat", "rmdir",
    "link", "linkat", "symlink", "symlinkat", "truncate", "mknod", "mknodat", "chmod", "fchmodat",
    "chown", "lchown", "fchownat", "utime", "utimes", "utimensat", "futimesat", "setxattr", "lsetxattr",
    "removexattr", "lremovexattr"};
const std::set<std::string> kWriteCalls = {"write", "writev", "pwrite64", "pwritev", "pwritev2"};
const std::set<std::string> kNetworkCalls = {"socket", "connect", "bind", "listen", "sendto", "sendmsg",
                                             "sendmmsg", "accept", "accept4"};

// Everything in the log that touched the host: returns one message per offending line.
std::vector<std::string> HostTouches(const std::string& log, const std::string& trace_path) {
  const std::set<std::string> writable_paths = {trace_path, "/dev/null", "/dev/tty"};
  std::vector<std::string> problems;
  std::istringstream lines(log);
  std::string raw;
  while (std::getline(lines, raw)) {
    Syscall call;
    if (!ParseStraceLine(raw, &call)) continue;
    if (kOpenCalls.count(call.name)) {
      const bool for_writing = call.name == "creat" || HasFlag(call.args, "O_WRONLY") ||
                               HasFlag(call.args, "O_RDWR") || HasFlag(call.args, "O_CREAT") ||
                               HasFlag(call.args, "O_TRUNC");
      if (for_writing && !writable_paths.count(FirstQuoted(call.args))) {
        problems.push_back("opened a host path for writing: " + call.line);
      }
    } else if (kMutatingPathCalls.count(call.name)) {
      problems.push_back("changed the host file system: " + call.line);
    } else if (kWriteCalls.count(call.name)) {
      int fd = -1;
      std::string decoration;
      FdAndDecoration(call.args, &fd, &decoration);
      const bool allowed = fd == 1 || fd == 2 || decoration == trace_path || decoration == "/dev/null" ||
                           decoration.rfind("pipe:", 0) == 0 || decoration.rfind("anon_inode:", 0) == 0;
      if (!allowed) problems.push_back("wrote to something other than stdout, stderr or the trace: " + call.line);
    } else if (kNetworkCalls.count(call.name)) {
      if (call.args.find("AF_INET") != std::string::npos) problems.push_back("used the host network: " + call.line);
    }
  }
  return problems;
}

// Names in `dir` that start with `token`.
std::vector<std::string> Leftovers(const std::string& dir, const std::string& token) {
  std::vector<std::string> found;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return found;
  while (dirent* entry = readdir(d)) {
    const std::string name = entry->d_name;
    if (name.rfind(token, 0) == 0) found.push_back(dir + "/" + name);
  }
  closedir(d);
  return found;
}

TEST(HostIsolation, FileWritesRenamesAndDeletesNeverReachTheHost) {
  const std::string strace = FindInPath("strace");
  ASSERT_FALSE(strace.empty()) << "strace is not installed: this test needs it (ci/setup installs it); "
                                  "refusing to pass without checking host isolation";

  const std::string work = MakeTempDir("loopsim-isolation");
  ASSERT_FALSE(work.empty());
  // The program runs from a directory of its own, so "its own directory" is a fresh host directory.
  const std::string program_dir = work + "/program";
  std::filesystem::create_directory(program_dir);
  std::string program_text;
  ASSERT_TRUE(ReadFile(E2eProgram("writes_files.js"), &program_text));
  const std::string script = program_dir + "/writes_files.js";
  ASSERT_TRUE(WriteFile(script, program_text));
  const std::string token = "loopsim-isolation-probe-" + std::filesystem::path(work).filename().string();
  const std::string trace = work + "/trace.jsonl";
  const std::string log = work + "/strace.log";

  RunOptions options;
  options.argv = {strace, "-f", "-y", "-qq", "-e", "trace=%file,%network,write,writev,pwrite64,pwritev,pwritev2",
                  "-o", log, LoopsimBinary(LOOPSIM_BIN), "run", "--seed", "0", "--trace", trace, script, token};
  options.cwd = program_dir;
  options.wall_limit = std::chrono::milliseconds(60'000);
  const RunResult result = RunProcess(options);

  std::string log_text;
  ASSERT_TRUE(ReadFile(log, &log_text)) << "strace wrote no log: " << result.Describe(options) << "\n" << result.err;
  ASSERT_NE(log_text.find("execve(\"" + LoopsimBinary(LOOPSIM_BIN) + "\""), std::string::npos)
      << "strace did not trace loopsim (is ptrace allowed here?)\n" << result.err;

  EXPECT_TRUE(result.Exited()) << result.Describe(options) << "\nstderr:\n" << result.err;
  EXPECT_EQ(result.exit_code, 0) << "the program failed on loopsim's file system\n" << result.err;
  EXPECT_NE(result.out.find("ok\n"), std::string::npos) << "the program did not finish:\n" << result.out;

  const std::vector<std::string> problems = HostTouches(log_text, trace);
  std::string listed;
  for (size_t i = 0; i < problems.size() && i < 20; ++i) listed += "  " + problems[i] + "\n";
  EXPECT_TRUE(problems.empty()) << problems.size() << " host-touching syscalls (full log: " << log << "):\n"
                                << listed;

  // The files the program created (and kept) must exist only in the virtual file system.
  std::set<std::string> dirs = {program_dir, "/tmp", std::filesystem::temp_directory_path().string()};
  std::vector<std::string> leftovers;
  for (const std::string& dir : dirs) {
    for (const std::string& path : Leftovers(dir, token)) leftovers.push_back(path);
  }
  std::string leftover_list;
  for (const std::string& path : leftovers) leftover_list += "  " + path + "\n";
  EXPECT_TRUE(leftovers.empty()) << "files the program created exist on the host:\n" << leftover_list;
  for (const std::string& path : leftovers) std::filesystem::remove_all(path);

  if (!HasFailure()) std::filesystem::remove_all(work);
}

}  // namespace
}  // namespace loopsim::testing
