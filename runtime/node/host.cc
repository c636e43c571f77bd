// See host.h.
#include "runtime/node/host.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include <node.h>
#include <v8.h>

#include "runtime/node/platform.h"
#include "runtime/runtime.h"
#include "runtime/uv/internal.h"

namespace loopsim::node_host {

namespace {

std::string Dirname(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/";
  return path.substr(0, slash);
}

bool HostExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// mkdir -p in the virtual file system.
void MakeDirs(Vfs& vfs, const std::string& path) {
  std::string so_far;
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    so_far = path.substr(0, j);
    vfs.Mkdir(so_far, 0755);
    i = j + 1;
  }
}

// V8 seeds are positive 31-bit numbers derived from the seed's V8 stream.
int V8Seed(uint64_t seed, uint64_t salt) {
  uint64_t state = StreamSeed(seed, Stream::kV8) ^ salt;
  return static_cast<int>((SplitMix64(state) & 0x3fffffff) | 1);
}

}  // namespace

void MountProgram(const ProgramOptions& options) {
  Vfs& vfs = runtime::Runtime::Get().kernel().vfs();
  const std::string script = vfs.Absolute(options.script[0] == '/' ? options.script
                                                                   : options.host_cwd + "/" + options.script);
  const std::string dir = Dirname(script);
  if (HostExists(dir)) vfs.MountHost(dir, dir);
  for (std::string up = Dirname(dir);; up = Dirname(up)) {
    const std::string base = up == "/" ? "" : up;
    for (const char* name : {"node_modules", "package.json"}) {
      if (HostExists(base + "/" + name) && base + "/" + name != dir) vfs.MountHost(base + "/" + name, base + "/" + name);
    }
    if (up == "/") break;
  }
  if (HostExists(options.builtins_dir)) vfs.MountHost("/usr/share/nodejs", options.builtins_dir);
  if (!options.preload.empty()) vfs.MountHost(kPreloadPath, options.preload);
  vfs.MakeSink(kTraceSinkPath, [](std::string_view text) {
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      uv::TraceProgramEvent(text.substr(start, end - start));
      start = end + 1;
    }
  });
  MakeDirs(vfs, "/tmp");
  MakeDirs(vfs, runtime::Runtime::Get().kernel().host().homedir);
  MakeDirs(vfs, options.host_cwd);
  vfs.Chdir(options.host_cwd);
}

// Ends the simulated process: output and trace are flushed, then the process exits without tearing V8
// and Node down (nothing of them is needed any more, and teardown would only cost time).
[[noreturn]] static void ExitProcess(int code) {
  runtime::Runtime::Get().Finish("exit", code);
  _exit(code);
}

void RunProgram(const ProgramOptions& options) {
  std::vector<std::string> args = {"node"};
  if (!options.preload.empty()) {
    args.push_back("--require");
    args.push_back(kPreloadPath);
  }
  args.push_back(options.script);
  args.insert(args.end(), options.args.begin(), options.args.end());

  std::unique_ptr<node::InitializationResult> init = node::InitializeOncePerProcess(
      args, {node::ProcessInitializationFlags::kNoInitializeV8,
             node::ProcessInitializationFlags::kNoInitializeNodeV8Platform});
  for (const std::string& error : init->errors()) std::fprintf(stderr, "%s: %s\n", args[0].c_str(), error.c_str());
  if (init->early_return()) ExitProcess(init->exit_code());

  auto platform = std::make_unique<Platform>();
  v8::V8::InitializePlatform(platform.get());
  // Single-threaded V8 with no memory reducer: garbage collection happens at the same points in every run.
  // Math.random and hash tables are seeded from the seed.
  const std::string flags = "--single-threaded --no-memory-reducer --random-seed=" +
                            std::to_string(V8Seed(options.seed, 1)) +
                            " --hash-seed=" + std::to_string(V8Seed(options.seed, 2));
  v8::V8::SetFlagsFromString(flags.c_str(), flags.size());
  v8::V8::Initialize();

  std::vector<std::string> errors;
  std::unique_ptr<node::CommonEnvironmentSetup> setup = node::CommonEnvironmentSetup::Create(
      platform.get(), &errors, init->args(), init->exec_args(),
      static_cast<node::EnvironmentFlags::Flags>(node::EnvironmentFlags::kDefaultFlags |
                                                 node::EnvironmentFlags::kNoCreateInspector));
  if (!setup) {
    for (const std::string& error : errors) std::fprintf(stderr, "%s: %s\n", args[0].c_str(), error.c_str());
    ExitProcess(1);
  }

  v8::Isolate* isolate = setup->isolate();
  node::Environment* env = setup->env();
  int exit_code = 0;
  {
    v8::Locker locker(isolate);
    v8::Isolate::Scope isolate_scope(isolate);
    v8::HandleScope handle_scope(isolate);
    v8::Context::Scope context_scope(setup->context());
    platform->SetContext(isolate, setup->context());
    // process.exit() and fatal exceptions end the run from inside Node.
    node::SetProcessExitHandler(env, [](node::Environment*, int code) { ExitProcess(code); });
    if (node::LoadEnvironment(env, node::StartExecutionCallback{}).IsEmpty()) {
      exit_code = 1;
    } else {
      exit_code = node::SpinEventLoop(env).FromMaybe(1);
    }
  }
  ExitProcess(exit_code);
}

}  // namespace loopsim::node_host
