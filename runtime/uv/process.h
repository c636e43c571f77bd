// Node programs as simulated processes of the machine (child_process: fork, spawn, exec, execFile of
// node). A child runs in the same host process as its parent, on a thread of its own that takes turns
// with every other simulated thread (threads.h): the Node host starts a node environment of the same
// binary there (a worker's, made to look like a process's main thread: its own pid, argv, environment,
// stdio and IPC channel), so the child shares the parent's virtual machine: disk, network, clock, seed.
//
// uv_spawn (process.cc) does what the kernel does for a spawn: it gives the child a pid, makes the
// pipes (socket pairs: the parent's ends on the parent's handles, the child's ends descriptors the child
// opens), and describes the start for the host (TakeStartedProcess). When the child's main thread ends,
// what it still holds open closes, and its exit reaches the parent's loop as SIGCHLD does: in the poll
// phase, through the loop's signal source, after the signal handles of that poll. A signal sent to a
// child (uv_process_kill, uv_kill) is caught by its own signal handles, or ignored, or ends it (the host
// stops its environment; the exit reports the signal).
#pragma once

#include <uv.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fakeos/kernel.h"

namespace loopsim::uv {

struct ProcessStart {
  uint32_t number = 0;  // the process's number (the program is 0)
  int pid = 0;
  std::vector<std::string> exec_argv;  // node's own options
  std::string script;                  // the program's file, as given
  bool has_eval = false;               // -e/-p: `eval` is the program
  bool print = false;
  std::string eval;
  std::vector<std::string> args;  // the program's arguments
  bool inherit_env = false;       // no environment was given: the parent's
  std::vector<std::string> env;   // NAME=value
  std::string cwd;                // "" for the parent's
  struct Stdio {
    int fd = -1;                  // the child's descriptor, or -1
    std::string type = "ignore";  // "pipe" (a socket), "file" or "ignore"
  };
  std::vector<Stdio> stdio;  // per stdio slot
};

// The next uv_spawn comes from child_process's own spawn (the host's boot script says so): a node
// program it starts is simulated. Any other spawn of node (spawnSync) ends the run as unsupported.
void ExpectSpawn();
// The start uv_spawn just described, once.
std::optional<ProcessStart> TakeStartedProcess();

// On the child's main thread, once its environment exists: how to stop it (a signal that ends it).
void ProcessBegins(void* env, void (*stop)(void*));
// On a child's thread: the code it exits with (as its 'exit' event is emitted).
void ProcessExitCode(int64_t code);
// A child's main thread ended (threads.cc calls it as the thread gives its turn away for good).
void ProcessEnded(uint32_t number);

// Commands that stand in for programs the machine lacks (loopsim --command NAME=SCRIPT): a spawn of
// NAME (or of a path ending in /NAME) runs SCRIPT, a node script, with the spawn's arguments.
void SetCommandScripts(std::vector<std::pair<std::string, std::string>> commands);

// The network host process `number` runs on (0: the program's own), and the calling thread's. A child
// runs on the host its LOOPSIM_HOST variable names (loopsim --host declares them), else its parent's.
HostId ProcessHost(uint32_t number);
HostId CurrentHost();
// Host `host` crashed (a fault; Network::CrashHost has dropped its connections): its unsynced file data
// is lost and its processes die as SIGKILL ends them.
void CrashHost(HostId host);

// The pid and parent pid of process `number` (0: the program itself, the host's).
int ProcessPid(uint32_t number);
int ProcessParentPid(uint32_t number);
// Writes node's own C code makes to its stdout or stderr (`index` 1 or 2: an uncaught error's report,
// process._rawDebug) on a child's thread: true when they went to the child's descriptor for it (or
// were dropped, as on /dev/null), false on the program's threads, whose writes are the host's output.
bool WriteChildStdio(int index, const void* data, size_t size);
// A signal for a simulated child by pid; *found is false when no child has that pid.
int KillProcessByPid(int pid, int signum, bool* found);

// The poll phase's part for processes: exit callbacks of the loop's children that ended.
void DispatchProcessExits(uv_loop_t* loop);
// uv_close of a process handle: its exit, if still to come, is not reported.
void ProcessClose(uv_process_t* handle);
// In a forked zygote child, or for a new simulation: no child exists.
void ForgetProcesses();

// signal.cc: counts `signum` on the started signal handles of process `number`'s loops; false when
// none watches it. Whether a signal nobody watches is ignored (SIGCHLD, SIGWINCH, SIGURG, SIGCONT).
bool CatchSignal(uint32_t number, int signum);
bool IgnoredByDefault(int signum);

}  // namespace loopsim::uv
