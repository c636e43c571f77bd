// The parts of libuv's API that loopsim does not simulate yet: TTYs, poll
// handles, processes (and signals sent to them) and file watching. Each ends the run with
// "loopsim: uv_xxx is not simulated yet" (exit code 70) instead of silently reaching the real libuv,
// which would mix host I/O into a simulated loop.
#include <cstdio>

#include "runtime/uv/internal.h"

namespace loopsim::uv {

void Unsimulated(const char* function) {
  runtime::Runtime::Get().Halt(runtime::Stop::kUnsupported, std::string(function) + " is not simulated yet");
}

}  // namespace loopsim::uv

using loopsim::uv::Unsimulated;

extern "C" {

int uv_tty_init(uv_loop_t*, uv_tty_t*, uv_file fd, int readable) { Unsimulated("uv_tty_init"); }
int uv_tty_get_winsize(uv_tty_t*, int* width, int* height) { Unsimulated("uv_tty_get_winsize"); }
int uv_tty_set_mode(uv_tty_t*, uv_tty_mode_t mode) { Unsimulated("uv_tty_set_mode"); }
int uv_poll_init(uv_loop_t* loop, uv_poll_t* handle, int fd) { Unsimulated("uv_poll_init"); }
int uv_poll_init_socket(uv_loop_t* loop, uv_poll_t* handle, uv_os_sock_t socket) { Unsimulated("uv_poll_init_socket"); }
int uv_poll_start(uv_poll_t* handle, int events, uv_poll_cb cb) { Unsimulated("uv_poll_start"); }
int uv_poll_stop(uv_poll_t* handle) { Unsimulated("uv_poll_stop"); }
int uv_spawn(uv_loop_t* loop, uv_process_t* handle, const uv_process_options_t* options) { Unsimulated("uv_spawn"); }
int uv_process_kill(uv_process_t*, int signum) { Unsimulated("uv_process_kill"); }
int uv_fs_event_getpath(uv_fs_event_t* handle, char* buffer, size_t* size) { Unsimulated("uv_fs_event_getpath"); }
int uv_fs_event_init(uv_loop_t* loop, uv_fs_event_t* handle) { Unsimulated("uv_fs_event_init"); }
int uv_fs_event_start(uv_fs_event_t* handle, uv_fs_event_cb cb, const char* path, unsigned int flags) { Unsimulated("uv_fs_event_start"); }
int uv_fs_poll_getpath(uv_fs_poll_t* handle, char* buffer, size_t* size) { Unsimulated("uv_fs_poll_getpath"); }
int uv_fs_poll_init(uv_loop_t* loop, uv_fs_poll_t* handle) { Unsimulated("uv_fs_poll_init"); }
int uv_fs_poll_start(uv_fs_poll_t* handle, uv_fs_poll_cb poll_cb, const char* path, unsigned int interval) { Unsimulated("uv_fs_poll_start"); }

}  // extern "C"
