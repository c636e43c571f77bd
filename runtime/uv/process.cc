// Processes. The simulated machine has node and nothing else: a command that is not node fails as it
// fails on a machine without it (uv_spawn returns UV_ENOENT, having initialised the handle, as libuv's
// does when exec finds no file), and no command ever runs on the host. A node program started through
// child_process (fork, spawn, exec, execFile) is a simulated process of the same machine: process.h
// says how it runs. A node program started any other way (spawnSync and execSync, which run their
// child on a private loop) ends the run with exit code 70.
//
// What counts as node: a file named node or nodejs (found on the PATH or not), the machine's own node
// (process.execPath), a file of the virtual file system whose first line is a `#!` line that names node
// (node_modules/.bin/mocha), a command that `loopsim --command NAME=SCRIPT` maps to a node script (the
// script runs with the command's arguments), and a shell (`sh -c`, as exec and `shell: true` run
// commands) whose command starts with one of those.
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/uv/internal.h"
#include "runtime/uv/process.h"
#include "runtime/uv/threads.h"

namespace loopsim::uv {

namespace {

std::string_view Basename(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The value of PATH in the child's environment when the spawn gives one, else in the program's.
std::string SearchPath(const uv_process_options_t& options) {
  if (options.env != nullptr) {
    for (char** e = options.env; *e != nullptr; ++e) {
      if (std::strncmp(*e, "PATH=", 5) == 0) return *e + 5;
    }
    return "";
  }
  char buffer[4096];
  size_t size = sizeof buffer;
  return uv_os_getenv("PATH", buffer, &size) == 0 ? std::string(buffer, size) : "";
}

// The executable file `file` names on this machine, as execvp looks for it; "" when there is none.
std::string Resolve(const std::string& file, const uv_process_options_t& options) {
  Vfs& vfs = runtime::Runtime::Get().kernel().vfs();
  auto executable = [&vfs](const std::string& path) {
    VfsStat st;
    return vfs.Stat(path, &st) == 0 && S_ISREG(st.mode) && (st.mode & 0111) != 0;
  };
  if (file.find('/') != std::string::npos) return executable(file) ? file : "";
  const std::string path = SearchPath(options);
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    const std::string dir = end == start ? "." : path.substr(start, end - start);
    if (executable(dir + "/" + file)) return dir + "/" + file;
    start = end + 1;
  }
  return "";
}

// The first line of a file of the virtual file system ("" when it cannot be read).
std::string FirstLine(const std::string& path) {
  Vfs& vfs = runtime::Runtime::Get().kernel().vfs();
  const int fd = vfs.Open(path, O_RDONLY, 0);
  if (fd < 0) return "";
  char buffer[256];
  const int64_t n = vfs.Read(fd, buffer, sizeof buffer, 0);
  vfs.Close(fd);
  const std::string_view text(buffer, n > 0 ? static_cast<size_t>(n) : 0);
  return std::string(text.substr(0, text.find('\n')));
}

// The words of a shell command line as sh splits them, for the simple commands exec runs: words
// separated by blanks, with '...', "..." and backslash quoting. False for anything sh would do more with
// (operators, expansions, redirections), which is not simulated.
bool ShellWords(std::string_view command, std::vector<std::string>* words) {
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words->push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const size_t end = command.find('\'', i + 1);
      if (end == std::string_view::npos) return false;
      word.append(command.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      for (++i; i < command.size() && command[i] != '"'; ++i) {
        if (command[i] == '$' || command[i] == '`') return false;
        if (command[i] == '\\' && i + 1 < command.size() && std::strchr("\"\\$`", command[i + 1]) != nullptr) ++i;
        word.push_back(command[i]);
      }
      if (i == command.size()) return false;
    } else if (c == '\\' && i + 1 < command.size()) {
      word.push_back(command[++i]);
    } else if (std::strchr(";&|<>()$`*?[]{}~#=", c) != nullptr && !(c == '=' && !word.empty())) {
      return false;
    } else {
      word.push_back(c);
    }
  }
  if (in_word) words->push_back(std::move(word));
  return true;
}

// The words of a command, as one line for messages.
std::string CommandLine(const std::vector<std::string>& words) {
  std::string line;
  for (const std::string& w : words) line += (line.empty() ? "" : " ") + w;
  return line;
}

std::vector<std::string> Args(const uv_process_options_t& options) {
  std::vector<std::string> args;
  for (char** a = options.args; a != nullptr && *a != nullptr; ++a) args.emplace_back(*a);
  return args;
}

// The flags of the parent's end of a pipe made for a child: the parent reads what the child writes.
unsigned ParentPipeFlags(const uv_stdio_container_t& stdio) {
  unsigned flags = 0;
  if (stdio.flags & UV_WRITABLE_PIPE) flags |= kReadable;
  if (stdio.flags & UV_READABLE_PIPE) flags |= kWritable;
  return flags;
}

std::vector<std::pair<std::string, std::string>>& CommandScripts() {
  static std::vector<std::pair<std::string, std::string>> scripts;  // command name, script path
  return scripts;
}

// The node script that stands in for command `file` (--command: its name, or a path ending in it), or "".
std::string CommandScript(std::string_view file) {
  for (const auto& [name, script] : CommandScripts()) {
    if (Basename(file) == name) return script;
  }
  return "";
}

// The script a command that runs as node names: a --command's script, or the file itself found on the
// PATH (a `#!` node script).
std::string NodeScript(const std::string& file, const uv_process_options_t& options) {
  const std::string script = CommandScript(file);
  return script.empty() ? Resolve(file, options) : script;
}

bool NamesNode(std::string_view file) {
  const std::string_view name = Basename(file);
  return name == "node" || name == "nodejs" || file == runtime::Runtime::Get().kernel().host().exepath;
}

bool IsNodeCommand(const std::string& file, const uv_process_options_t& options, int depth = 0) {
  if (NamesNode(file) || !CommandScript(file).empty()) return true;
  const std::string_view name = Basename(file);
  if ((name == "sh" || name == "bash" || name == "dash") && options.args != nullptr && options.args[0] != nullptr &&
      options.args[1] != nullptr && std::strcmp(options.args[1], "-c") == 0 && options.args[2] != nullptr &&
      depth == 0) {
    const std::string_view command = options.args[2];
    std::vector<std::string> words;
    std::string word;
    if (ShellWords(command, &words)) {
      if (words.empty()) return false;
      word = words[0];
    } else {
      // A command line loopsim cannot split: its first word, as a blank or an operator ends it.
      const size_t begin = command.find_first_not_of(" \t");
      if (begin == std::string_view::npos) return false;
      word = std::string(command.substr(begin, command.find_first_of(" \t;&|", begin) - begin));
      if (word.size() >= 2 && (word.front() == '"' || word.front() == '\'') && word.back() == word.front()) {
        word = word.substr(1, word.size() - 2);
      }
    }
    uv_process_options_t inner = options;
    inner.args = nullptr;
    return IsNodeCommand(word, inner, depth + 1);
  }
  const std::string resolved = Resolve(file, options);
  if (resolved.empty()) return false;
  const std::string line = FirstLine(resolved);
  return line.rfind("#!", 0) == 0 && (line.find("/node") != std::string::npos || line.find(" node") != std::string::npos);
}


// Node's options that take the next word as their value.
bool TakesValue(std::string_view option) {
  static const char* const kOptions[] = {"-r", "--require", "--import", "--loader", "--experimental-loader",
                                         "--input-type", "-C", "--conditions", "--title", "--env-file",
                                         "--stack-size", "--max-old-space-size", "--inspect-port", "--eval",
                                         "-e", "--print", "-p"};
  for (const char* o : kOptions) {
    if (option == o) return true;
  }
  return false;
}

// What a node command line asks for: node's own options, then a script (or code to evaluate) and its
// arguments. `words` starts with the command's name. False when it asks for something that is not a
// program run to its end (a REPL, a check, --version, reading the program from stdin).
bool ParseNodeWords(const std::vector<std::string>& words, ProcessStart* start) {
  size_t i = 1;
  for (; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "--") {
      ++i;
      break;
    }
    if (w.empty() || w[0] != '-' || w == "-") break;
    if (w == "-e" || w == "--eval" || w == "-p" || w == "--print") {
      if (i + 1 >= words.size()) return false;
      start->eval = words[i + 1];
      start->print = w == "-p" || w == "--print";
      start->has_eval = true;
      start->exec_argv.push_back(w);
      start->exec_argv.push_back(words[i + 1]);
      ++i;
      continue;
    }
    if (w == "-v" || w == "--version" || w == "-h" || w == "--help" || w == "-i" || w == "--interactive" ||
        w == "-c" || w == "--check" || w == "--test" || w == "--run" || w == "--watch") {
      return false;
    }
    start->exec_argv.push_back(w);
    if (TakesValue(w) && i + 1 < words.size()) start->exec_argv.push_back(words[++i]);
  }
  if (start->has_eval) {
    start->args.assign(words.begin() + static_cast<ptrdiff_t>(i), words.end());
    return true;
  }
  if (i >= words.size() || words[i] == "-") return false;
  start->script = words[i];
  start->args.assign(words.begin() + static_cast<ptrdiff_t>(i) + 1, words.end());
  return true;
}

// The node command line `options` runs, as words (the node executable first), following a shell's
// command and a `#!` script to node; false when it is not a node program loopsim can run.
bool NodeWords(const uv_process_options_t& options, std::vector<std::string>* words) {
  const std::string file = options.file != nullptr ? options.file : "";
  std::vector<std::string> argv = Args(options);
  if (argv.empty()) argv.push_back(file);
  if (NamesNode(file)) {
    *words = argv;
    return true;
  }
  const std::string_view name = Basename(file);
  if ((name == "sh" || name == "bash" || name == "dash") && argv.size() >= 3 && argv[1] == "-c") {
    std::vector<std::string> inner;
    if (!ShellWords(argv[2], &inner) || inner.empty()) return false;
    if (NamesNode(inner[0])) {
      *words = inner;
      return true;
    }
    uv_process_options_t nested = options;
    nested.file = inner[0].c_str();
    nested.args = nullptr;
    if (!IsNodeCommand(inner[0], nested, 1)) return false;
    words->assign({"node", NodeScript(inner[0], nested)});
    words->insert(words->end(), inner.begin() + 1, inner.end());
    return true;
  }
  const std::string resolved = NodeScript(file, options);
  if (resolved.empty()) return false;
  words->assign({"node", resolved});
  words->insert(words->end(), argv.begin() + 1, argv.end());
  return true;
}

struct SimProcess {
  uint32_t number = 0;
  int pid = 0;
  HostId host = Network::kLocalHost;  // the network host it runs on (loopsim --host, LOOPSIM_HOST)
  uint32_t parent = 0;           // the process that started it
  uv_process_t* handle = nullptr;  // the parent's handle, until closed
  uv_loop_t* loop = nullptr;       // the parent's loop
  // The child's ends of the pipes made for it, by descriptor and opening (Vfs::Opening): closed when it
  // ends, as an exiting process's are, unless the child closed one already (the number may be another
  // opening's by then, of any process: the machine has one descriptor table).
  std::vector<std::pair<int, uint64_t>> owned;
  bool running = false;  // its main thread began
  bool exited = false;
  bool reported = false;  // its exit callback ran (or its handle was closed first)
  bool exit_early = false;  // test mutation exit-before-end: report the exit before the end
  int64_t exit_status = 0;
  int term_signal = 0;
  void* env = nullptr;  // the node environment that runs it, to stop it
  void (*stop)(void*) = nullptr;
  bool stop_pending = false;  // killed before it began
  std::vector<int> stdio;     // the child's descriptor per stdio slot, -1 for none
};

std::vector<std::unique_ptr<SimProcess>>& Processes() {
  static std::vector<std::unique_ptr<SimProcess>> processes;  // by number - 1
  return processes;
}

SimProcess* ByNumber(uint32_t number) {
  auto& all = Processes();
  return number == 0 || number > all.size() ? nullptr : all[number - 1].get();
}

SimProcess* ByPid(int pid) {
  for (auto& p : Processes()) {
    if (p->pid == pid) return p.get();
  }
  return nullptr;
}

bool g_spawn_expected = false;
std::optional<ProcessStart> g_started;

// The descriptor of the machine's that descriptor `fd` of the running process is: a child's 0, 1 and 2
// are its stdio's.
int MachineFd(int fd);

// The child's descriptor for each stdio slot: the child's end of a new socket pair (the parent's end
// opened on the slot's pipe handle), a copy of a descriptor of the parent's it inherits (dup), or -1.
int StdioFd(const uv_stdio_container_t& stdio, int index, SimProcess* p) {
  auto own = [p](int fd) {
    if (fd >= 0) p->owned.emplace_back(fd, K().vfs().Opening(fd));
    return fd;
  };
  if (stdio.flags & UV_CREATE_PIPE) {
    if (stdio.data.stream == nullptr || stdio.data.stream->type != UV_NAMED_PIPE) return UV_EINVAL;
    std::shared_ptr<StreamSocket> parent_end, child_end;
    K().net().SocketPair(Network::kLocalHost, &parent_end, &child_end);
    const bool ipc = reinterpret_cast<const uv_pipe_t*>(stdio.data.stream)->ipc != 0;
    if (ipc) IpcRegisterPair(parent_end.get(), child_end.get());
    StreamOpen(stdio.data.stream, K().vfs().AddDescription(std::move(parent_end)), ParentPipeFlags(stdio));
    const int fd = own(K().vfs().AddDescription(std::move(child_end)));
    // A process's stdio stays open until it ends (node never closes its own 0, 1 and 2): the pipe's end
    // reaches its parent with the exit, not while the child tears itself down. An IPC channel closes
    // when the child disconnects.
    if (index <= 2 && !ipc) own(K().vfs().Dup(fd));
    return fd;
  }
  int inherited = -1;
  if (stdio.flags & UV_INHERIT_FD) inherited = MachineFd(stdio.data.fd);
  if ((stdio.flags & UV_INHERIT_STREAM) && stdio.data.stream != nullptr) inherited = stdio.data.stream->io_watcher.fd;
  if (inherited < 0 || !K().vfs().IsOpen(inherited)) return -1;
  return own(K().vfs().Dup(inherited));
}

// The host a child runs on: the one LOOPSIM_HOST names in the environment the spawn gives it, else its
// parent's. UV_EHOSTUNREACH, said on stderr, when no host has that name.
int ChildHost(const uv_process_options_t& options, HostId parent, HostId* host) {
  *host = parent;
  for (char** e = options.env; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, "LOOPSIM_HOST=", 13) != 0) continue;
    const std::string name = *e + 13;
    if (name.empty() || name == K().host().hostname) {
      *host = Network::kLocalHost;
      return 0;
    }
    const int found = K().net().FindHost(name);
    if (found < 0) {
      std::fprintf(stderr, "loopsim: LOOPSIM_HOST=%s names no host (declare it: loopsim --host %s=ADDRESS)\n",
                   name.c_str(), name.c_str());
      return UV_EHOSTUNREACH;
    }
    *host = static_cast<HostId>(found);
  }
  return 0;
}

int SpawnNode(uv_loop_t* loop, uv_process_t* handle, const uv_process_options_t* options,
              const std::vector<std::string>& words) {
  HostId host = Network::kLocalHost;
  if (const int err = ChildHost(*options, CurrentHost(), &host); err != 0) return err;
  ProcessStart start;
  if (!ParseNodeWords(words, &start)) {
    runtime::Runtime::Get().Halt(runtime::Stop::kUnsupported,
                                 "a node child that does not run a program to its end (a REPL, --version, "
                                 "--test, a script from stdin) is not simulated: " + CommandLine(words));
  }
  auto& all = Processes();
  auto p = std::make_unique<SimProcess>();
  p->number = static_cast<uint32_t>(all.size() + 1);
  p->pid = K().host().pid + static_cast<int>(p->number);
  p->parent = CurrentProcess();
  p->host = host;
  p->handle = handle;
  p->loop = loop;
  for (int i = 0; i < options->stdio_count; ++i) {
    ProcessStart::Stdio slot;
    slot.fd = StdioFd(options->stdio[i], i, p.get());
    if (slot.fd < 0 && slot.fd != -1) return slot.fd;
    const uv_handle_type type = slot.fd < 0 ? UV_UNKNOWN_HANDLE : uv_guess_handle(slot.fd);
    slot.type = type == UV_NAMED_PIPE || type == UV_TCP ? "pipe" : type == UV_FILE ? "file" : "ignore";
    if (type == UV_UNKNOWN_HANDLE) slot.fd = -1;
    p->stdio.push_back(slot.fd);
    start.stdio.push_back(std::move(slot));
  }
  for (char** e = options->env; e != nullptr && *e != nullptr; ++e) start.env.emplace_back(*e);
  start.inherit_env = options->env == nullptr;
  start.cwd = options->cwd != nullptr ? options->cwd : "";
  start.number = p->number;
  start.pid = p->pid;
  handle->pid = p->pid;
  handle->exit_cb = options->exit_cb;
  HandleStart(reinterpret_cast<uv_handle_t*>(handle));
  all.push_back(std::move(p));
  g_started = std::move(start);
  return 0;
}

void Terminate(SimProcess* p, int signum) {
  p->term_signal = signum;
  p->exit_status = 0;
  MarkProcessExiting(p->number);
  if (p->env != nullptr && p->stop != nullptr) {
    p->stop(p->env);
  } else {
    p->stop_pending = true;
  }
}

int Kill(SimProcess* p, int signum) {
  if (signum < 0 || signum >= 65) return UV_EINVAL;
  if (p->exited || p->term_signal != 0) return UV_ESRCH;
  if (signum == 0) return 0;
  if (CatchSignal(p->number, signum) || IgnoredByDefault(signum)) return 0;
  Terminate(p, signum);
  return 0;
}

int MachineFd(int fd) {
  const SimProcess* p = ByNumber(CurrentProcess());
  if (p == nullptr || fd < 0 || fd > 2) return fd;
  return static_cast<size_t>(fd) < p->stdio.size() ? p->stdio[static_cast<size_t>(fd)] : -1;
}

}  // namespace

void ExpectSpawn() { g_spawn_expected = true; }

std::optional<ProcessStart> TakeStartedProcess() {
  std::optional<ProcessStart> started = std::move(g_started);
  g_started.reset();
  return started;
}

void ProcessBegins(void* env, void (*stop)(void*)) {
  SimProcess* p = ByNumber(CurrentProcess());
  if (p == nullptr) return;
  p->running = true;
  // The first event of the child's thread names the process it runs (and its host, when not the
  // program's).
  TraceFields fields;
  fields.Int(trace::key::kPid, p->pid).Int(trace::key::kParentPid, ProcessPid(p->parent));
  if (p->host != Network::kLocalHost) fields.Name(trace::key::kHost, K().net().HostName(p->host));
  TraceEvent(nullptr, trace::event::kProcessStart, fields);
  p->env = env;
  p->stop = stop;
  if (p->stop_pending) {
    p->stop_pending = false;
    stop(env);
  }
}

void ProcessExitCode(int64_t code) {
  SimProcess* p = ByNumber(CurrentProcess());
  if (p == nullptr) return;
  if (p->term_signal == 0) p->exit_status = code;
  MarkProcessExiting(p->number);
  if (runtime::Runtime::Get().options().mutations.exit_before_end && p->handle != nullptr) {
    p->exit_early = true;
    K().Signal(State(p->loop).signals);
  }
}

bool WriteChildStdio(int index, const void* data, size_t size) {
  const SimProcess* p = ByNumber(CurrentProcess());
  if (p == nullptr) return false;
  const int fd = static_cast<size_t>(index) < p->stdio.size() ? p->stdio[static_cast<size_t>(index)] : -1;
  if (fd >= 0) K().vfs().Write(fd, data, size, -1);
  return true;
}

void ProcessEnded(uint32_t number) {
  SimProcess* p = ByNumber(number);
  if (p == nullptr || p->exited) return;
  p->exited = true;
  p->env = nullptr;
  TraceEvent(nullptr, trace::event::kProcessEnd,
             TraceFields()
                 .Int(trace::key::kPid, p->pid)
                 .Int(trace::key::kStatus, p->exit_status)
                 .Int(trace::key::kSignal, p->term_signal));
  // What the child still holds open closes with it: its parent reads to the end of each pipe.
  for (const auto& [fd, opening] : p->owned) {
    if (K().vfs().Opening(fd) == opening) K().vfs().Close(fd);
  }
  p->owned.clear();
  if (p->handle != nullptr) K().Signal(State(p->loop).signals);
}

void DispatchProcessExits(uv_loop_t* loop) {
  for (size_t i = 0; i < Processes().size(); ++i) {
    SimProcess* p = Processes()[i].get();
    if (p->loop != loop || !(p->exited || p->exit_early) || p->reported || p->handle == nullptr) continue;
    p->reported = true;
    uv_process_t* h = p->handle;
    HandleStop(reinterpret_cast<uv_handle_t*>(h));
    if (h->exit_cb == nullptr) continue;
    const int64_t status = p->exit_status;
    const int signum = p->term_signal;
    RunCallback(reinterpret_cast<uv_handle_t*>(h), [h, status, signum] { h->exit_cb(h, status, signum); },
                TraceFields().Int(trace::key::kPid, p->pid));
  }
}

void ProcessClose(uv_process_t* handle) {
  HandleStop(reinterpret_cast<uv_handle_t*>(handle));
  for (auto& p : Processes()) {
    if (p->handle == handle) p->handle = nullptr;
  }
}

void SetCommandScripts(std::vector<std::pair<std::string, std::string>> commands) {
  CommandScripts() = std::move(commands);
}

HostId ProcessHost(uint32_t number) {
  const SimProcess* p = ByNumber(number);
  return p == nullptr ? Network::kLocalHost : p->host;
}

HostId CurrentHost() { return ProcessHost(CurrentProcess()); }

void CrashHost(HostId host) {
  TraceEvent(nullptr, trace::event::kHostCrash, TraceFields().Name(trace::key::kHost, K().net().HostName(host)));
  K().vfs().Crash(host);
  for (auto& p : Processes()) {
    if (p->host == host && !p->exited && p->term_signal == 0) Terminate(p.get(), SIGKILL);
  }
}

int ProcessPid(uint32_t number) {
  const SimProcess* p = ByNumber(number);
  return p == nullptr ? K().host().pid : p->pid;
}

int ProcessParentPid(uint32_t number) {
  const SimProcess* p = ByNumber(number);
  return p == nullptr ? K().host().ppid : ProcessPid(p->parent);
}

int KillProcessByPid(int pid, int signum, bool* found) {
  SimProcess* p = ByPid(pid);
  *found = p != nullptr;
  return p == nullptr ? UV_ESRCH : Kill(p, signum);
}

void ForgetProcesses() {
  Processes().clear();
  g_started.reset();
  g_spawn_expected = false;
}

void JudgeSpawn(const uv_process_options_t* options) {
  const std::string file = options->file != nullptr ? options->file : "";
  if (IsNodeCommand(file, *options)) {
    const std::string command = CommandLine(Args(*options));
    runtime::Runtime::Get().Halt(runtime::Stop::kUnsupported,
                                 "a node program started by spawnSync or execSync is not simulated yet: " +
                                     (command.empty() ? file : command));
  }
}

}  // namespace loopsim::uv

extern "C" {

// A node program (child_process) starts as a simulated process (process.h). Any other command is
// refused as libuv refuses a command exec finds no file for: the handle is initialised but never
// active, and each pipe asked for is open on the parent's side of a socket pair whose child side is
// gone (Node reads them as it reads a started child's: to their end).
int uv_spawn(uv_loop_t* loop, uv_process_t* handle, const uv_process_options_t* options) {
  using namespace loopsim::uv;
  const bool expected = g_spawn_expected;
  g_spawn_expected = false;
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(handle), UV_PROCESS);
  handle->pid = 0;
  handle->exit_cb = nullptr;
  const std::string file = options->file != nullptr ? options->file : "";
  if (IsNodeCommand(file, *options)) {
    if (!expected) JudgeSpawn(options);
    std::vector<std::string> words;
    if (!NodeWords(*options, &words)) {
      loopsim::runtime::Runtime::Get().Halt(loopsim::runtime::Stop::kUnsupported,
                                            "a shell command line with operators, expansions or redirections "
                                            "is not simulated yet: " + CommandLine(Args(*options)));
    }
    return SpawnNode(loop, handle, options, words);
  }
  for (int i = 0; i < options->stdio_count; ++i) {
    const uv_stdio_container_t& stdio = options->stdio[i];
    if (!(stdio.flags & UV_CREATE_PIPE)) continue;
    if (stdio.data.stream == nullptr || stdio.data.stream->type != UV_NAMED_PIPE) return UV_EINVAL;
    StreamOpen(stdio.data.stream, K().vfs().AddDescription(loopsim::MakeOrphanedEnd()), ParentPipeFlags(stdio));
  }
  return UV_ENOENT;
}

int uv_process_kill(uv_process_t* process, int signum) {
  bool found = false;
  return loopsim::uv::KillProcessByPid(process->pid, signum, &found);
}

uv_pid_t uv_process_get_pid(const uv_process_t* proc) { return proc->pid; }

}  // extern "C"
