// The parts of libuv's API that loopsim does not simulate: polling the host's own sockets (c-ares), which
// ends the run with "loopsim: uv_xxx is not simulated yet" (exit code 70) instead of silently reaching the
// real libuv, which would mix host I/O into a simulated loop. TTYs are here too, simulated as what the
// simulated machine has: none. (Processes are in process.cc.)
#include <cstdio>

#include "runtime/uv/internal.h"

namespace loopsim::uv {

void Unsimulated(const char* function) {
  runtime::Runtime::Get().Halt(runtime::Stop::kUnsupported, std::string(function) + " is not simulated yet");
}

}  // namespace loopsim::uv

using loopsim::uv::Unsimulated;

extern "C" {

// The simulated machine has no terminal: stdio are files (uv_guess_handle says UV_FILE), so a TTY handle
// fails as libuv's does on a descriptor that is not a terminal, and no TTY handle ever exists.
int uv_tty_init(uv_loop_t*, uv_tty_t*, uv_file fd, int readable) { return UV_EINVAL; }
int uv_tty_get_winsize(uv_tty_t*, int* width, int* height) { return UV_EINVAL; }
int uv_tty_set_mode(uv_tty_t*, uv_tty_mode_t mode) { return UV_EINVAL; }
// The console's virtual-terminal state is Windows libuv's; unix libuv knows none, and neither does a
// machine without a terminal.
int uv_tty_get_vterm_state(uv_tty_vtermstate_t* state) { return UV_ENOTSUP; }
void uv_tty_set_vterm_state(uv_tty_vtermstate_t state) {}
// Node polls sockets only for c-ares (dns.resolve*, dns.Resolver), whose sockets are the host's own: the
// run stops there, before a query leaves the machine.
int uv_poll_init_socket(uv_loop_t* loop, uv_poll_t* handle, uv_os_sock_t socket) {
  loopsim::runtime::Runtime::Get().Halt(
      loopsim::runtime::Stop::kUnsupported,
      "uv_poll_init_socket is not simulated yet: c-ares (dns.resolve*, dns.Resolver) talks to the host's "
      "DNS servers directly; use dns.lookup, which loopsim answers from its virtual DNS table");
}

}  // extern "C"
