// The parts of libuv's API that loopsim does not simulate yet: pipes, TTYs, UDP, poll
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

int uv_recv_buffer_size(uv_handle_t* handle, int* value) { Unsimulated("uv_recv_buffer_size"); }
int uv_send_buffer_size(uv_handle_t* handle, int* value) { Unsimulated("uv_send_buffer_size"); }
int uv_pipe_bind(uv_pipe_t* handle, const char* name) { Unsimulated("uv_pipe_bind"); }
int uv_pipe_chmod(uv_pipe_t* handle, int flags) { Unsimulated("uv_pipe_chmod"); }
void uv_pipe_connect(uv_connect_t* req, uv_pipe_t* handle, const char* name, uv_connect_cb cb) { Unsimulated("uv_pipe_connect"); }
int uv_pipe_getpeername(const uv_pipe_t* handle, char* buffer, size_t* size) { Unsimulated("uv_pipe_getpeername"); }
int uv_pipe_getsockname(const uv_pipe_t* handle, char* buffer, size_t* size) { Unsimulated("uv_pipe_getsockname"); }
int uv_pipe_init(uv_loop_t*, uv_pipe_t* handle, int ipc) { Unsimulated("uv_pipe_init"); }
int uv_pipe_open(uv_pipe_t*, uv_file file) { Unsimulated("uv_pipe_open"); }
int uv_pipe_pending_count(uv_pipe_t* handle) { Unsimulated("uv_pipe_pending_count"); }
uv_handle_type uv_pipe_pending_type(uv_pipe_t* handle) { Unsimulated("uv_pipe_pending_type"); }
int uv_tty_init(uv_loop_t*, uv_tty_t*, uv_file fd, int readable) { Unsimulated("uv_tty_init"); }
int uv_tty_get_winsize(uv_tty_t*, int* width, int* height) { Unsimulated("uv_tty_get_winsize"); }
int uv_tty_set_mode(uv_tty_t*, uv_tty_mode_t mode) { Unsimulated("uv_tty_set_mode"); }
int uv_udp_bind(uv_udp_t* handle, const struct sockaddr* addr, unsigned int flags) { Unsimulated("uv_udp_bind"); }
int uv_udp_connect(uv_udp_t* handle, const struct sockaddr* addr) { Unsimulated("uv_udp_connect"); }
size_t uv_udp_get_send_queue_count(const uv_udp_t* handle) { Unsimulated("uv_udp_get_send_queue_count"); }
size_t uv_udp_get_send_queue_size(const uv_udp_t* handle) { Unsimulated("uv_udp_get_send_queue_size"); }
int uv_udp_getpeername(const uv_udp_t* handle, struct sockaddr* name, int* namelen) { Unsimulated("uv_udp_getpeername"); }
int uv_udp_getsockname(const uv_udp_t* handle, struct sockaddr* name, int* namelen) { Unsimulated("uv_udp_getsockname"); }
int uv_udp_init(uv_loop_t*, uv_udp_t* handle) { Unsimulated("uv_udp_init"); }
int uv_udp_open(uv_udp_t* handle, uv_os_sock_t sock) { Unsimulated("uv_udp_open"); }
int uv_udp_recv_start(uv_udp_t* handle, uv_alloc_cb alloc_cb, uv_udp_recv_cb recv_cb) { Unsimulated("uv_udp_recv_start"); }
int uv_udp_recv_stop(uv_udp_t* handle) { Unsimulated("uv_udp_recv_stop"); }
int uv_udp_send(uv_udp_send_t* req, uv_udp_t* handle, const uv_buf_t bufs[], unsigned int nbufs, const struct sockaddr* addr, uv_udp_send_cb send_cb) { Unsimulated("uv_udp_send"); }
int uv_udp_set_broadcast(uv_udp_t* handle, int on) { Unsimulated("uv_udp_set_broadcast"); }
int uv_udp_set_membership(uv_udp_t* handle, const char* multicast_addr, const char* interface_addr, uv_membership membership) { Unsimulated("uv_udp_set_membership"); }
int uv_udp_set_multicast_interface(uv_udp_t* handle, const char* interface_addr) { Unsimulated("uv_udp_set_multicast_interface"); }
int uv_udp_set_multicast_loop(uv_udp_t* handle, int on) { Unsimulated("uv_udp_set_multicast_loop"); }
int uv_udp_set_multicast_ttl(uv_udp_t* handle, int ttl) { Unsimulated("uv_udp_set_multicast_ttl"); }
int uv_udp_set_source_membership(uv_udp_t* handle, const char* multicast_addr, const char* interface_addr, const char* source_addr, uv_membership membership) { Unsimulated("uv_udp_set_source_membership"); }
int uv_udp_set_ttl(uv_udp_t* handle, int ttl) { Unsimulated("uv_udp_set_ttl"); }
int uv_udp_try_send(uv_udp_t* handle, const uv_buf_t bufs[], unsigned int nbufs, const struct sockaddr* addr) { Unsimulated("uv_udp_try_send"); }
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
