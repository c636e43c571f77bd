// The parts of libuv's API that loopsim does not simulate yet: streams (TCP, pipes, TTYs), UDP, poll
// handles, processes, signals sent to processes, DNS and file watching. Each ends the run with
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

int uv_accept(uv_stream_t* server, uv_stream_t* client) { Unsimulated("uv_accept"); }
int uv_listen(uv_stream_t* stream, int backlog, uv_connection_cb cb) { Unsimulated("uv_listen"); }
int uv_read_start(uv_stream_t*, uv_alloc_cb alloc_cb, uv_read_cb read_cb) { Unsimulated("uv_read_start"); }
int uv_read_stop(uv_stream_t*) { Unsimulated("uv_read_stop"); }
int uv_write(uv_write_t* req, uv_stream_t* handle, const uv_buf_t bufs[], unsigned int nbufs, uv_write_cb cb) { Unsimulated("uv_write"); }
int uv_write2(uv_write_t* req, uv_stream_t* handle, const uv_buf_t bufs[], unsigned int nbufs, uv_stream_t* send_handle, uv_write_cb cb) { Unsimulated("uv_write2"); }
int uv_try_write(uv_stream_t* handle, const uv_buf_t bufs[], unsigned int nbufs) { Unsimulated("uv_try_write"); }
int uv_shutdown(uv_shutdown_t* req, uv_stream_t* handle, uv_shutdown_cb cb) { Unsimulated("uv_shutdown"); }
int uv_is_readable(const uv_stream_t* handle) { Unsimulated("uv_is_readable"); }
int uv_is_writable(const uv_stream_t* handle) { Unsimulated("uv_is_writable"); }
int uv_stream_set_blocking(uv_stream_t* handle, int blocking) { Unsimulated("uv_stream_set_blocking"); }
int uv_recv_buffer_size(uv_handle_t* handle, int* value) { Unsimulated("uv_recv_buffer_size"); }
int uv_send_buffer_size(uv_handle_t* handle, int* value) { Unsimulated("uv_send_buffer_size"); }
int uv_tcp_bind(uv_tcp_t* handle, const struct sockaddr* addr, unsigned int flags) { Unsimulated("uv_tcp_bind"); }
int uv_tcp_close_reset(uv_tcp_t* handle, uv_close_cb close_cb) { Unsimulated("uv_tcp_close_reset"); }
int uv_tcp_connect(uv_connect_t* req, uv_tcp_t* handle, const struct sockaddr* addr, uv_connect_cb cb) { Unsimulated("uv_tcp_connect"); }
int uv_tcp_getpeername(const uv_tcp_t* handle, struct sockaddr* name, int* namelen) { Unsimulated("uv_tcp_getpeername"); }
int uv_tcp_getsockname(const uv_tcp_t* handle, struct sockaddr* name, int* namelen) { Unsimulated("uv_tcp_getsockname"); }
int uv_tcp_init(uv_loop_t*, uv_tcp_t* handle) { Unsimulated("uv_tcp_init"); }
int uv_tcp_keepalive(uv_tcp_t* handle, int enable, unsigned int delay) { Unsimulated("uv_tcp_keepalive"); }
int uv_tcp_nodelay(uv_tcp_t* handle, int enable) { Unsimulated("uv_tcp_nodelay"); }
int uv_tcp_open(uv_tcp_t* handle, uv_os_sock_t sock) { Unsimulated("uv_tcp_open"); }
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
int uv_kill(int pid, int signum) { Unsimulated("uv_kill"); }
int uv_getaddrinfo(uv_loop_t* loop, uv_getaddrinfo_t* req, uv_getaddrinfo_cb getaddrinfo_cb, const char* node, const char* service, const struct addrinfo* hints) { Unsimulated("uv_getaddrinfo"); }
void uv_freeaddrinfo(struct addrinfo* ai) { Unsimulated("uv_freeaddrinfo"); }
int uv_getnameinfo(uv_loop_t* loop, uv_getnameinfo_t* req, uv_getnameinfo_cb getnameinfo_cb, const struct sockaddr* addr, int flags) { Unsimulated("uv_getnameinfo"); }
int uv_fs_event_getpath(uv_fs_event_t* handle, char* buffer, size_t* size) { Unsimulated("uv_fs_event_getpath"); }
int uv_fs_event_init(uv_loop_t* loop, uv_fs_event_t* handle) { Unsimulated("uv_fs_event_init"); }
int uv_fs_event_start(uv_fs_event_t* handle, uv_fs_event_cb cb, const char* path, unsigned int flags) { Unsimulated("uv_fs_event_start"); }
int uv_fs_poll_getpath(uv_fs_poll_t* handle, char* buffer, size_t* size) { Unsimulated("uv_fs_poll_getpath"); }
int uv_fs_poll_init(uv_loop_t* loop, uv_fs_poll_t* handle) { Unsimulated("uv_fs_poll_init"); }
int uv_fs_poll_start(uv_fs_poll_t* handle, uv_fs_poll_cb poll_cb, const char* path, unsigned int interval) { Unsimulated("uv_fs_poll_start"); }

}  // extern "C"
