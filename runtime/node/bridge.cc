// The boot script's way into the library: a Node-API module (the library is loaded a second time, by
// process.dlopen, which finds it already mapped) with one function, begin(version) -> BeginProgram.
// Node-API is the ABI every node from 18 to 26 keeps; its few functions are looked up in the running
// node when the module registers, so the library links none of node's symbols and loads into processes
// that are not node without failing. The types and prototypes below are Node-API's C ABI.
#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fakeos/base/check.h"
#include "runtime/node/host.h"

namespace {

using napi_env = struct napi_env_opaque*;
using napi_value = struct napi_value_opaque*;
using napi_callback_info = struct napi_callback_info_opaque*;
using napi_status = int;
using napi_callback = napi_value (*)(napi_env, napi_callback_info);
constexpr size_t kAutoLength = SIZE_MAX;

struct NodeApi {
  napi_status (*create_function)(napi_env, const char*, size_t, napi_callback, void*, napi_value*);
  napi_status (*set_named_property)(napi_env, napi_value, const char*, napi_value);
  napi_status (*get_cb_info)(napi_env, napi_callback_info, size_t*, napi_value*, napi_value*, void**);
  napi_status (*get_value_string_utf8)(napi_env, napi_value, char*, size_t, size_t*);
};
NodeApi g_api;

template <typename F>
void Find(F* out, const char* name) {
  *out = reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name));
  LS_CHECK_MSG(*out != nullptr, "this node lacks a Node-API function the host uses");
}

napi_value Begin(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {nullptr};
  LS_CHECK(g_api.get_cb_info(env, info, &argc, argv, nullptr, nullptr) == 0 && argc == 1);
  char version[64] = {};
  size_t length = 0;
  LS_CHECK(g_api.get_value_string_utf8(env, argv[0], version, sizeof(version), &length) == 0);
  loopsim::node_host::BeginProgram(std::string(version, length));
  return nullptr;
}

}  // namespace

extern "C" napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  Find(&g_api.create_function, "napi_create_function");
  Find(&g_api.set_named_property, "napi_set_named_property");
  Find(&g_api.get_cb_info, "napi_get_cb_info");
  Find(&g_api.get_value_string_utf8, "napi_get_value_string_utf8");
  napi_value begin = nullptr;
  LS_CHECK(g_api.create_function(env, "begin", kAutoLength, &Begin, nullptr, &begin) == 0);
  LS_CHECK(g_api.set_named_property(env, exports, "begin", begin) == 0);
  return exports;
}
