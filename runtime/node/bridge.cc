// The boot script's way into the library: a Node-API module (the library is loaded a second time, by
// process.dlopen, which finds it already mapped) with three functions for the program: begin(version,
// programFrame) -> BeginProgram, exitFrame(frame), which notes where process.exit() was called, and
// fatal(fromPromise), which notes how an uncaught error ended the run; and five for node programs as
// simulated processes (runtime/uv/process.h): expectSpawn(), takeChild() -> the start uv_spawn just
// described as JSON (or ""), startChild(number), which makes the next thread that process's main one,
// and, on that thread, childBegins() and exitCode(code); and six for the warm-up: asyncIdCounter() and
// setAsyncIdCounter(n), node's async id counter, beginRehearsal(), runLoopOnce(), endRehearsal(), and
// flagsAfterBootCollection(flags).
// It keeps programFrame, a function of the boot script's, to ask which part of the program is running
// when the program writes to stderr. Node-API is the ABI
// every node from 18 to 26 keeps; its few functions are looked up in the running node when the module
// registers, so the library links none of node's symbols and loads into processes that are not node
// without failing. The types and prototypes below are Node-API's C ABI.
#include "runtime/node/bridge.h"

#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "fakeos/base/check.h"
#include "runtime/node/host.h"
#include "runtime/node/v8_seed.h"
#include "runtime/runtime.h"
#include "runtime/uv/internal.h"
#include "runtime/uv/process.h"
#include "runtime/uv/threads.h"

namespace {

using napi_env = struct napi_env_opaque*;
using napi_value = struct napi_value_opaque*;
using napi_ref = struct napi_ref_opaque*;
using napi_handle_scope = struct napi_handle_scope_opaque*;
using napi_callback_info = struct napi_callback_info_opaque*;
using napi_status = int;
using napi_callback = napi_value (*)(napi_env, napi_callback_info);
constexpr size_t kAutoLength = SIZE_MAX;
constexpr napi_status kOk = 0;

// A Node-API function (every one returns a napi_status), looked up by name in the running node.
template <typename... Args>
class NapiFunction {
 public:
  explicit NapiFunction(const char* name)
      : fn_(reinterpret_cast<napi_status (*)(Args...)>(dlsym(RTLD_DEFAULT, name))) {
    LS_CHECK_MSG(fn_ != nullptr, "this node lacks a Node-API function the host uses");
  }
  napi_status operator()(Args... args) const { return fn_(args...); }

 private:
  napi_status (*fn_)(Args...);
};

// The Node-API functions the host calls, each declared with the name it is looked up by.
struct NodeApi {
  NapiFunction<napi_env, const char*, size_t, napi_callback, void*, napi_value*> create_function{
      "napi_create_function"};
  NapiFunction<napi_env, napi_value, const char*, napi_value> set_named_property{"napi_set_named_property"};
  NapiFunction<napi_env, napi_callback_info, size_t*, napi_value*, napi_value*, void**> get_cb_info{
      "napi_get_cb_info"};
  NapiFunction<napi_env, napi_value, char*, size_t, size_t*> get_value_string_utf8{"napi_get_value_string_utf8"};
  NapiFunction<napi_env, napi_value, uint32_t, napi_ref*> create_reference{"napi_create_reference"};
  NapiFunction<napi_env, napi_ref, napi_value*> get_reference_value{"napi_get_reference_value"};
  NapiFunction<napi_env, napi_value, napi_value, size_t, const napi_value*, napi_value*> call_function{
      "napi_call_function"};
  NapiFunction<napi_env, napi_value*> get_undefined{"napi_get_undefined"};
  NapiFunction<napi_env, napi_handle_scope*> open_handle_scope{"napi_open_handle_scope"};
  NapiFunction<napi_env, napi_handle_scope> close_handle_scope{"napi_close_handle_scope"};
  NapiFunction<napi_env, napi_value, bool*> get_value_bool{"napi_get_value_bool"};
  NapiFunction<napi_env, napi_value, int64_t*> get_value_int64{"napi_get_value_int64"};
  NapiFunction<napi_env, const char*, size_t, napi_value*> create_string_utf8{"napi_create_string_utf8"};
  NapiFunction<napi_env, double, napi_value*> create_double{"napi_create_double"};
};

// Looked up on first use, which is the module's registration (not when the library loads: it loads into
// processes that are not node too).
const NodeApi& Api() {
  static const NodeApi api;
  return api;
}

napi_env g_env = nullptr;
napi_ref g_program_frame = nullptr;

std::string StringValue(napi_env env, napi_value value) {
  size_t length = 0;
  if (Api().get_value_string_utf8(env, value, nullptr, 0, &length) != kOk) return "";
  std::string out(length, '\0');
  if (Api().get_value_string_utf8(env, value, out.data(), length + 1, &length) != kOk) return "";
  out.resize(length);
  return out;
}

napi_value Begin(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2] = {nullptr, nullptr};
  LS_CHECK(Api().get_cb_info(env, info, &argc, argv, nullptr, nullptr) == kOk && argc == 2);
  LS_CHECK(Api().create_reference(env, argv[1], 1, &g_program_frame) == kOk);
  g_env = env;
  loopsim::node_host::BeginProgram(StringValue(env, argv[0]));
  return nullptr;
}

napi_value ExitFrame(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {nullptr};
  if (Api().get_cb_info(env, info, &argc, argv, nullptr, nullptr) == kOk && argc == 1) {
    const std::string frame = StringValue(env, argv[0]);
    if (!frame.empty()) loopsim::runtime::Runtime::Get().SetExitFrame(frame);
  }
  return nullptr;
}

// fatal(fromPromise): Node's fatal-exception handler found no one to handle an error; whether it came
// from a promise rejection tells triage an unhandled rejection from an uncaught exception, which Node
// 20 and later print alike.
napi_value Fatal(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {nullptr};
  bool from_promise = false;
  if (Api().get_cb_info(env, info, &argc, argv, nullptr, nullptr) == kOk && argc == 1 &&
      Api().get_value_bool(env, argv[0], &from_promise) == kOk) {
    loopsim::runtime::Runtime::Get().SetFatal(from_promise ? "rejection" : "exception");
  }
  return nullptr;
}

// The optional first argument of a call as an integer (`fallback` without one).
int64_t IntArgument(napi_env env, napi_callback_info info, int64_t fallback) {
  size_t argc = 1;
  napi_value argv[1] = {nullptr};
  int64_t value = fallback;
  if (Api().get_cb_info(env, info, &argc, argv, nullptr, nullptr) != kOk || argc < 1 ||
      Api().get_value_int64(env, argv[0], &value) != kOk) {
    return fallback;
  }
  return value;
}

napi_value ExpectSpawn(napi_env, napi_callback_info) {
  loopsim::uv::ExpectSpawn();
  return nullptr;
}

napi_value TakeChild(napi_env env, napi_callback_info) {
  std::string text;
  if (std::optional<loopsim::uv::ProcessStart> start = loopsim::uv::TakeStartedProcess()) {
    nlohmann::json stdio = nlohmann::json::array();
    for (const loopsim::uv::ProcessStart::Stdio& slot : start->stdio) {
      stdio.push_back({{"fd", slot.fd}, {"type", slot.type}});
    }
    nlohmann::json j = {{"number", start->number}, {"pid", start->pid},   {"execArgv", start->exec_argv},
                        {"script", start->script}, {"hasEval", start->has_eval}, {"print", start->print},
                        {"eval", start->eval},     {"args", start->args}, {"inheritEnv", start->inherit_env},
                        {"env", start->env},       {"cwd", start->cwd},   {"stdio", stdio}};
    text = j.dump();
  }
  napi_value value = nullptr;
  LS_CHECK(Api().create_string_utf8(env, text.data(), text.size(), &value) == kOk);
  return value;
}

napi_value StartChild(napi_env env, napi_callback_info info) {
  loopsim::uv::StartNextThreadAsProcess(static_cast<uint32_t>(IntArgument(env, info, 0)));
  return nullptr;
}

// The running node environment, through V8's and node's embedder API (every node from 18 exports
// these): Isolate::GetCurrent, Isolate::GetCurrentContext (a v8::Local is one pointer, passed and
// returned in a register) and node::GetCurrentEnvironment. node::Stop(env, flags) stops it from any
// thread, as Worker.terminate() does.
template <typename F>
F Symbol(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name));
}

void* CurrentEnvironment() {
  auto isolate = Symbol<void* (*)()>("_ZN2v87Isolate10GetCurrentEv");
  auto context = Symbol<void* (*)(void*)>("_ZN2v87Isolate17GetCurrentContextEv");
  auto environment = Symbol<void* (*)(void*)>("_ZN4node21GetCurrentEnvironmentEN2v85LocalINS0_7ContextEEE");
  if (isolate == nullptr || context == nullptr || environment == nullptr) return nullptr;
  return environment(context(isolate()));
}

void StopEnvironment(void* env) {
  auto stop = Symbol<int (*)(void*, int)>("_ZN4node4StopEPNS_11EnvironmentENS_9StopFlags5FlagsE");
  LS_CHECK_MSG(stop != nullptr, "this node lacks node::Stop, which ends a simulated child process");
  stop(env, 0);
}

// Node's async id fields (AsyncHooks' async_id_fields: the execution id, the trigger id, the id counter,
// the default trigger id), found without knowing node's layouts, which move from one version to the
// next: a DefaultTriggerAsyncIdScope made on the environment with a value no id has (ids are whole)
// holds the environment's AsyncHooks, a member of the environment, and puts the value in the fields;
// among the aliased arrays of AsyncHooks (each starts with the isolate, its length and its byte offset,
// then its data) the fields are the one of four doubles that ends with the value. The scope's end puts
// the default trigger id back. nullptr on a node where this does not hold.
double* FindAsyncIdFields() {
  using Construct = void (*)(void* scope, void* env, double default_trigger_id);
  using Destruct = void (*)(void* scope);
  auto construct = Symbol<Construct>("_ZN4node10AsyncHooks26DefaultTriggerAsyncIdScopeC1EPNS_11EnvironmentEd");
  auto destruct = Symbol<Destruct>("_ZN4node10AsyncHooks26DefaultTriggerAsyncIdScopeD1Ev");
  auto isolate = Symbol<void* (*)()>("_ZN2v87Isolate10GetCurrentEv");
  void* env = CurrentEnvironment();
  if (construct == nullptr || destruct == nullptr || isolate == nullptr || env == nullptr) return nullptr;
  constexpr double kMark = 987654321.5;
  constexpr uintptr_t kEnvironmentBytes = 8192;  // AsyncHooks lies early in it; its arrays at its start
  constexpr size_t kHooksWords = 64;
  const auto env_start = reinterpret_cast<uintptr_t>(env);
  const auto isolate_word = reinterpret_cast<uintptr_t>(isolate());
  alignas(16) uintptr_t scope[8] = {};
  construct(scope, env, kMark);
  double* fields = nullptr;
  for (uintptr_t hooks : scope) {
    if (hooks < env_start || hooks + kHooksWords * sizeof(uintptr_t) > env_start + kEnvironmentBytes) continue;
    const auto* w = reinterpret_cast<const uintptr_t*>(hooks);
    for (size_t i = 0; i + 3 < kHooksWords && fields == nullptr; ++i) {
      auto* data = reinterpret_cast<double*>(w[i + 3]);
      if (w[i] == isolate_word && w[i + 1] == 4 && w[i + 2] == 0 && data != nullptr && data[3] == kMark) fields = data;
    }
    if (fields != nullptr) break;
  }
  destruct(scope);
  return fields;
}

constexpr int kAsyncIdCounter = 2;  // of the fields

double* AsyncIdFields() {
  static double* const fields = FindAsyncIdFields();
  return fields;
}

// asyncIdCounter(): the last async id node gave, or -1 where the fields were not found;
// setAsyncIdCounter(n) puts the counter back to n (the warm-up's ids are given again to the program).
napi_value AsyncIdCounter(napi_env env, napi_callback_info) {
  napi_value value = nullptr;
  LS_CHECK(Api().create_double(env, AsyncIdFields() ? AsyncIdFields()[kAsyncIdCounter] : -1, &value) == kOk);
  return value;
}

napi_value SetAsyncIdCounter(napi_env env, napi_callback_info info) {
  const int64_t counter = IntArgument(env, info, -1);
  LS_CHECK_MSG(AsyncIdFields() != nullptr && counter >= 0, "the async id counter was set where it was not found");
  AsyncIdFields()[kAsyncIdCounter] = static_cast<double>(counter);
  return nullptr;
}

// beginRehearsal(), runLoopOnce(), endRehearsal(): the warm-up runs
// node's timers and immediates on node's own loop while booting (Runtime::BeginRehearsal).
napi_value BeginRehearsal(napi_env, napi_callback_info) {
  loopsim::runtime::Runtime::Get().BeginRehearsal();
  return nullptr;
}

napi_value RunLoopOnce(napi_env, napi_callback_info) {
  uv_run(uv_default_loop(), UV_RUN_ONCE);
  return nullptr;
}

napi_value EndRehearsal(napi_env, napi_callback_info) {
  loopsim::runtime::Runtime::Get().EndRehearsal();
  loopsim::uv::RewindLoopAfterRehearsal(uv_default_loop());
  return nullptr;
}

// flagsAfterBootCollection(flags): V8 flags the warm-up changed that must hold through the boot's
// collection, as they are to be set once it is done (CollectBootGarbage).
napi_value FlagsAfterBootCollection(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {nullptr};
  LS_CHECK(Api().get_cb_info(env, info, &argc, argv, nullptr, nullptr) == kOk && argc == 1);
  loopsim::node_host::SetFlagsAfterBootCollection(StringValue(env, argv[0]));
  return nullptr;
}

napi_value ChildBegins(napi_env, napi_callback_info) {
  void* env = CurrentEnvironment();
  LS_CHECK_MSG(env != nullptr, "this node lacks the embedder API a simulated child process needs");
  loopsim::uv::ProcessBegins(env, &StopEnvironment);
  return nullptr;
}

napi_value ExitCode(napi_env env, napi_callback_info info) {
  loopsim::uv::ProcessExitCode(IntArgument(env, info, 0));
  return nullptr;
}

void Export(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value value = nullptr;
  LS_CHECK(Api().create_function(env, name, kAutoLength, fn, nullptr, &value) == kOk);
  LS_CHECK(Api().set_named_property(env, exports, name, value) == kOk);
}

}  // namespace

namespace loopsim::node_host {

std::string ProgramFrame() {
  // Only the program's main thread may enter its isolate (a child process writing to an inherited
  // stderr runs on a thread of its own).
  if (g_env == nullptr || g_program_frame == nullptr || uv::CurrentThreadNumber() != 0) return "";
  napi_handle_scope scope = nullptr;
  if (Api().open_handle_scope(g_env, &scope) != kOk) return "";
  std::string frame;
  napi_value fn = nullptr, recv = nullptr, result = nullptr;
  if (Api().get_reference_value(g_env, g_program_frame, &fn) == kOk && Api().get_undefined(g_env, &recv) == kOk &&
      Api().call_function(g_env, recv, fn, 0, nullptr, &result) == kOk) {
    frame = StringValue(g_env, result);
  }
  Api().close_handle_scope(g_env, scope);
  return frame;
}

}  // namespace loopsim::node_host

extern "C" napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  static constexpr std::pair<const char*, napi_callback> kFunctions[] = {
      {"begin", &Begin},
      {"exitFrame", &ExitFrame},
      {"fatal", &Fatal},
      {"expectSpawn", &ExpectSpawn},
      {"takeChild", &TakeChild},
      {"startChild", &StartChild},
      {"childBegins", &ChildBegins},
      {"exitCode", &ExitCode},
      {"asyncIdCounter", &AsyncIdCounter},
      {"setAsyncIdCounter", &SetAsyncIdCounter},
      {"beginRehearsal", &BeginRehearsal},
      {"runLoopOnce", &RunLoopOnce},
      {"endRehearsal", &EndRehearsal},
      {"flagsAfterBootCollection", &FlagsAfterBootCollection},
  };
  for (const auto& [name, fn] : kFunctions) Export(env, exports, name, fn);
  return exports;
}
