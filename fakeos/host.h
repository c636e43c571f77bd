// Host facts the simulated program can observe (pid, host name, CPUs, memory, user). They are fixed
// values that never depend on the machine loopsim runs on, so a seed means the same thing everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace loopsim {

struct HostFacts {
  int pid = 4242;
  int ppid = 4241;
  std::string hostname = "loopsim";
  int cpu_count = 4;
  std::string cpu_model = "loopsim virtual CPU";
  int cpu_speed_mhz = 2400;
  uint64_t total_memory = 8ULL << 30;
  uint64_t free_memory = 6ULL << 30;
  uint64_t rss = 48ULL << 20;
  std::string username = "loopsim";
  int uid = 1000;
  int gid = 1000;
  std::string homedir = "/home/loopsim";
  std::string shell = "/bin/sh";
  std::string sysname = "Linux";
  std::string release = "6.1.0-loopsim";
  std::string version = "#1 SMP loopsim";
  std::string machine = "x86_64";
  std::string exepath = "/usr/bin/node";  // the running program's executable (process.execPath)
  // The program's environment, in this order. HOME and TMPDIR agree with the fields above.
  std::vector<std::pair<std::string, std::string>> env = {
      {"HOME", "/home/loopsim"}, {"LANG", "C.UTF-8"}, {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"TMPDIR", "/tmp"},        {"TZ", "UTC"},       {"USER", "loopsim"},
  };
};

}  // namespace loopsim
