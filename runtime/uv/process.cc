// Processes. The simulated machine has node and nothing else: a command that is not node fails as it
// fails on a machine without it (uv_spawn returns UV_ENOENT, having initialised the handle, as libuv's
// does when exec finds no file), and no command ever runs on the host. Node programs as simulated
// processes of the same machine are not simulated yet: spawning one ends the run with exit code 70.
//
// What counts as node: a file named node or nodejs (found on the PATH or not), the machine's own node
// (process.execPath), a file of the virtual file system whose first line is a `#!` line that names node
// (node_modules/.bin/mocha), and a shell (`sh -c`, as exec and `shell: true` run commands) whose command
// starts with one of those.
#include <sys/stat.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/uv/internal.h"

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

bool NamesNode(std::string_view file) {
  const std::string_view name = Basename(file);
  return name == "node" || name == "nodejs" || file == runtime::Runtime::Get().kernel().host().exepath;
}

bool IsNodeCommand(const std::string& file, const uv_process_options_t& options, int depth = 0) {
  if (NamesNode(file)) return true;
  const std::string_view name = Basename(file);
  if ((name == "sh" || name == "bash" || name == "dash") && options.args != nullptr && options.args[0] != nullptr &&
      options.args[1] != nullptr && std::strcmp(options.args[1], "-c") == 0 && options.args[2] != nullptr &&
      depth == 0) {
    const std::string_view command = options.args[2];
    const size_t begin = command.find_first_not_of(" \t");
    if (begin == std::string_view::npos) return false;
    const std::string_view word = command.substr(begin, command.find_first_of(" \t;&|", begin) - begin);
    uv_process_options_t inner = options;
    inner.args = nullptr;
    return IsNodeCommand(std::string(word), inner, depth + 1);
  }
  const std::string resolved = Resolve(file, options);
  if (resolved.empty()) return false;
  const std::string line = FirstLine(resolved);
  return line.rfind("#!", 0) == 0 && (line.find("/node") != std::string::npos || line.find(" node") != std::string::npos);
}

}  // namespace

void JudgeSpawn(const uv_process_options_t* options) {
  const std::string file = options->file != nullptr ? options->file : "";
  if (IsNodeCommand(file, *options)) {
    std::string command;
    for (char** a = options->args; a != nullptr && *a != nullptr; ++a) command += std::string(command.empty() ? "" : " ") + *a;
    runtime::Runtime::Get().Halt(runtime::Stop::kUnsupported,
                                 "uv_spawn is not simulated yet for node programs (child_process.fork, or spawn/exec "
                                 "of node): " + (command.empty() ? file : command));
  }
}

}  // namespace loopsim::uv

extern "C" {

// As libuv's uv_spawn when exec finds no file: the handle is initialised but never active, and each pipe
// asked for is open on the parent's side of a socket pair whose child side is gone (Node reads them as it
// reads a started child's: to their end).
int uv_spawn(uv_loop_t* loop, uv_process_t* handle, const uv_process_options_t* options) {
  using namespace loopsim::uv;
  JudgeSpawn(options);
  HandleInit(loop, reinterpret_cast<uv_handle_t*>(handle), UV_PROCESS);
  handle->pid = 0;
  handle->exit_cb = nullptr;
  for (int i = 0; i < options->stdio_count; ++i) {
    const uv_stdio_container_t& stdio = options->stdio[i];
    if (!(stdio.flags & UV_CREATE_PIPE)) continue;
    if (stdio.data.stream == nullptr || stdio.data.stream->type != UV_NAMED_PIPE) return UV_EINVAL;
    unsigned flags = 0;
    if (stdio.flags & UV_WRITABLE_PIPE) flags |= kReadable;  // the child writes, the parent reads
    if (stdio.flags & UV_READABLE_PIPE) flags |= kWritable;
    const int fd = K().vfs().AddDescription(loopsim::MakeOrphanedEnd());
    StreamOpen(stdio.data.stream, fd, flags);
  }
  return UV_ENOENT;
}

// No process is ever started, so there is none to signal.
int uv_process_kill(uv_process_t*, int signum) { return UV_ESRCH; }

uv_pid_t uv_process_get_pid(const uv_process_t* proc) { return proc->pid; }

}  // extern "C"
