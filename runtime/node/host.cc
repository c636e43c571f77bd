// See host.h.
#include "runtime/node/host.h"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <node.h>
#include <v8.h>

#include "fakeos/base/check.h"
#include "runtime/node/platform.h"
#include "runtime/node/prelude.h"
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

// V8's own generators, reseeded per seed without anything JavaScript could see. V8 has no public API for
// it, but libnode exports the internals (V8 10.2's ABI, so this pins loopsim to that libnode): the
// random-seed flag, which Math.random seeds a context from when its state is empty; the function that
// empties a native context's Math.random state and cache; the isolate's generator (identity hashes).
struct V8Reseeder {
  int* flag_random_seed = nullptr;
  void (*reset_math_random)(uintptr_t native_context) = nullptr;
  void* (*isolate_rng)(void* isolate) = nullptr;
  void (*rng_set_seed)(void* rng, int64_t seed) = nullptr;

  static V8Reseeder Find() {
    V8Reseeder r;
    r.flag_random_seed = static_cast<int*>(dlsym(RTLD_DEFAULT, "_ZN2v88internal16FLAG_random_seedE"));
    r.reset_math_random = reinterpret_cast<void (*)(uintptr_t)>(
        dlsym(RTLD_DEFAULT, "_ZN2v88internal10MathRandom12ResetContextENS0_7ContextE"));
    r.isolate_rng =
        reinterpret_cast<void* (*)(void*)>(dlsym(RTLD_DEFAULT, "_ZN2v88internal7Isolate23random_number_generatorEv"));
    r.rng_set_seed =
        reinterpret_cast<void (*)(void*, int64_t)>(dlsym(RTLD_DEFAULT, "_ZN2v84base21RandomNumberGenerator7SetSeedEl"));
    LS_CHECK_MSG(r.flag_random_seed != nullptr && r.reset_math_random != nullptr && r.isolate_rng != nullptr &&
                     r.rng_set_seed != nullptr,
                 "this libnode does not export the V8 internals loopsim reseeds V8 with (not libnode 18.20?)");
    return r;
  }

  void Reseed(v8::Isolate* isolate, v8::Local<v8::Context> context, int seed) const {
    *flag_random_seed = seed;
    // A Local is a pointer to the slot holding the tagged pointer; v8::Context's object is the native
    // context. v8::Isolate is the internal isolate.
    reset_math_random(*reinterpret_cast<uintptr_t*>(*context));
    rng_set_seed(isolate_rng(isolate), seed);
  }
};

// Compiles and runs one of the host's own scripts (prelude.h); they cannot fail.
v8::Local<v8::Value> RunScript(v8::Isolate* isolate, v8::Local<v8::Context> context, const char* source,
                               const char* name) {
  v8::ScriptOrigin origin(isolate, v8::String::NewFromUtf8(isolate, name).ToLocalChecked());
  v8::Local<v8::Script> script =
      v8::Script::Compile(context, v8::String::NewFromUtf8(isolate, source).ToLocalChecked(), &origin)
          .ToLocalChecked();
  return script->Run(context).ToLocalChecked();
}

// Runs what V8 and Node left for the platform during boot, so nothing of it reaches a seed, and checks
// that boot left nothing in flight: a request or kernel event would complete in every seed.
void Settle(Platform& platform, v8::Isolate* isolate, uv_loop_t* loop) {
  platform.DrainTasks(isolate);
  LS_CHECK_MSG(uv::State(loop).active_reqs == 0, "booting Node left a request in flight");
  LS_CHECK_MSG(!runtime::Runtime::Get().kernel().HasPendingEvents(), "booting Node left a kernel event pending");
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

// The program's own frame nearest the top of the current JavaScript stack, as Node prints a frame
// ("fn (/app.js:3:9)", "/app.js:3:9"): the first that is neither Node's (node:...) nor a package's
// (node_modules), else the first that is not Node's; empty when no JavaScript of the program is running.
// Triage takes it as the place a non-zero exit came from.
static std::string ProgramFrame(v8::Isolate* isolate, int frames) {
  v8::HandleScope scope(isolate);
  v8::Local<v8::StackTrace> stack = v8::StackTrace::CurrentStackTrace(isolate, frames);
  std::string first_outside_node;
  for (int i = 0; i < stack->GetFrameCount(); ++i) {
    v8::Local<v8::StackFrame> frame = stack->GetFrame(isolate, static_cast<uint32_t>(i));
    v8::Local<v8::String> script = frame->GetScriptName();
    if (script.IsEmpty() || script->Length() == 0) continue;
    const std::string file = *v8::String::Utf8Value(isolate, script);
    if (file.rfind("node:", 0) == 0) continue;
    std::string where = file + ":" + std::to_string(frame->GetLineNumber()) + ":" + std::to_string(frame->GetColumn());
    v8::Local<v8::String> name = frame->GetFunctionName();
    if (!name.IsEmpty() && name->Length() > 0) where = *v8::String::Utf8Value(isolate, name) + (" (" + where + ")");
    if (file.find("/node_modules/") == std::string::npos) return where;
    if (first_outside_node.empty()) first_outside_node = std::move(where);
  }
  return first_outside_node;
}

// ProgramFrame, looking only as deep as it must: capturing a stack costs by the frame, and a program
// may write to stderr very often. console.error and process.exit() sit about eight frames above the
// program's call; a logging package in node_modules may add more.
static std::string ProgramFrame(v8::Isolate* isolate) {
  constexpr int kShallow = 12;
  constexpr int kDeep = 64;
  std::string frame = ProgramFrame(isolate, kShallow);
  if (frame.empty() || frame.find("/node_modules/") != std::string::npos) frame = ProgramFrame(isolate, kDeep);
  return frame;
}

// Ends the simulated process: output and trace are flushed, then the process exits without tearing V8
// and Node down (nothing of them is needed any more, and teardown would only cost time).
[[noreturn]] static void ExitProcess(int code) {
  runtime::Runtime::Get().Finish("exit", code);
  _exit(code);
}

void RunProgram(const ProgramOptions& options, const SeedSource& next_seed) {
  runtime::SeedOptions started_with = runtime::Runtime::Get().TakeSeed();
  // No --require: a preload is the program's code and runs in the seed (runMain), not at boot.
  std::vector<std::string> args = {"node", options.script};
  args.insert(args.end(), options.args.begin(), options.args.end());

  std::unique_ptr<node::InitializationResult> init = node::InitializeOncePerProcess(
      args, {node::ProcessInitializationFlags::kNoInitializeV8,
             node::ProcessInitializationFlags::kNoInitializeNodeV8Platform});
  for (const std::string& error : init->errors()) std::fprintf(stderr, "%s: %s\n", args[0].c_str(), error.c_str());
  if (init->early_return()) ExitProcess(init->exit_code());

  auto platform = std::make_unique<Platform>();
  v8::V8::InitializePlatform(platform.get());
  // Single-threaded V8 with no memory reducer: garbage collection happens at the same points in every run.
  // The boot's seeds are fixed: the hash seed shapes tables built at boot and stays; Math.random and the
  // isolate's generator are reseeded when the seed begins.
  const std::string flags = "--single-threaded --no-memory-reducer --random-seed=" +
                            std::to_string(V8Seed(runtime::kBootSeed, 1)) +
                            " --hash-seed=" + std::to_string(V8Seed(runtime::kBootSeed, 2));
  v8::V8::SetFlagsFromString(flags.c_str(), flags.size());
  v8::V8::Initialize();
  const V8Reseeder reseeder = V8Reseeder::Find();

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
    v8::Local<v8::Context> context = setup->context();
    v8::Context::Scope context_scope(context);
    platform->SetContext(isolate, context);
    // process.exit() and fatal exceptions end the run from inside Node; in process.exit() the program's
    // frame that called it is still on the stack.
    node::SetProcessExitHandler(env, [isolate](node::Environment*, int code) {
      if (std::string frame = ProgramFrame(isolate); !frame.empty()) runtime::Runtime::Get().SetExitFrame(frame);
      ExitProcess(code);
    });
    // With a callback, Node's start-up prepares the main thread as for `node SCRIPT` (without loading
    // any --require) and calls it where it would run the main module: inside the same callback scope
    // (async id 1, hooks skipped), so ticks and microtasks the program queues drain after it, and an
    // exception it throws is uncaught, exactly as for node's own main module.
    node::LoadEnvironment(env, [&](const node::StartExecutionCallbackInfo& info) -> v8::MaybeLocal<v8::Value> {
      v8::Local<v8::Value> boot_args[] = {info.process_object, info.native_require};
      if (options.warm_up) {
        RunScript(isolate, context, kWarmUp, "loopsim:warm-up")
            .As<v8::Function>()
            ->Call(context, v8::Undefined(isolate), 2, boot_args)
            .ToLocalChecked();
      }
      v8::Local<v8::Function> run_main = RunScript(isolate, context, kRunMain, kRunMainName).As<v8::Function>();
      Settle(*platform, isolate, node::GetCurrentEventLoop(isolate));

      SeedStart start = next_seed(std::move(started_with));
      const int v8_seed = V8Seed(start.seed.seed, 1);
      runtime::Runtime::Get().BeginSeed(std::move(start.seed));
      // Which part of the program wrote the last error line (a non-zero exit's message is that line).
      runtime::Runtime::Get().kernel().vfs().ObserveStderr([isolate](std::string_view text) {
        if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return;
        runtime::Runtime::Get().SetStderrFrame(ProgramFrame(isolate));
      });
      reseeder.Reseed(isolate, context, v8_seed);
      v8::Local<v8::Value> run_args[] = {
          info.process_object, info.native_require,
          options.preload.empty() ? v8::Undefined(isolate).As<v8::Value>()
                                  : v8::String::NewFromUtf8(isolate, kPreloadPath).ToLocalChecked().As<v8::Value>()};
      v8::MaybeLocal<v8::Value> result = run_main->Call(context, v8::Undefined(isolate), 3, run_args);
      if (start.main_returned) start.main_returned();
      return result;
    });
    // As node, whatever the main module did (an exception may have been handled by an
    // 'uncaughtException' listener): the loop runs.
    exit_code = node::SpinEventLoop(env).FromMaybe(1);
  }
  ExitProcess(exit_code);
}

void RunProgram(const ProgramOptions& options) {
  RunProgram(options, [](runtime::SeedOptions started_with) { return SeedStart{std::move(started_with), nullptr}; });
}

}  // namespace loopsim::node_host
