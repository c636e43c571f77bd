// The parts of libuv's public API newer than the installed <uv.h> (Debian 12's libuv1-dev, 1.44), which
// the simulated libuv defines because the Node binaries it runs under call them (Node 20: libuv 1.46,
// Node 22: 1.51, Node 24 and 26: 1.52). Each declaration has the ABI of the release that introduced it
// (checked against that release's include/uv.h); each block is skipped when the installed header
// already has it. Struct layouts of 1.44 that later releases only renamed (uv_statfs_t's f_spare[0]
// became f_frsize in 1.52) are handled where they are filled.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#ifdef __cplusplus
extern "C" {
#endif

#if UV_VERSION_HEX < 0x012d00  // 1.45.0
typedef enum { UV_CLOCK_MONOTONIC, UV_CLOCK_REALTIME } uv_clock_id;

typedef struct {
  int64_t tv_sec;
  int32_t tv_nsec;
} uv_timespec64_t;

typedef struct uv_group_s {
  char* groupname;
  unsigned long gid;
  char** members;
} uv_group_t;

typedef struct uv_metrics_s {
  uint64_t loop_count;
  uint64_t events;
  uint64_t events_waiting;
  uint64_t* reserved[13];
} uv_metrics_t;

int uv_clock_gettime(uv_clock_id clock_id, uv_timespec64_t* ts);
uint64_t uv_get_available_memory(void);
int uv_metrics_info(uv_loop_t* loop, uv_metrics_t* metrics);
int uv_os_get_passwd2(uv_passwd_t* pwd, uv_uid_t uid);
int uv_os_get_group(uv_group_t* grp, uv_uid_t gid);
void uv_os_free_group(uv_group_t* grp);
#endif

#if UV_VERSION_HEX < 0x012e00  // 1.46.0
enum { UV_PIPE_NO_TRUNCATE = 1u << 0 };

int uv_pipe_bind2(uv_pipe_t* handle, const char* name, size_t namelen, unsigned int flags);
int uv_pipe_connect2(uv_connect_t* req, uv_pipe_t* handle, const char* name, size_t namelen, unsigned int flags,
                     uv_connect_cb cb);
#endif

#if UV_VERSION_HEX < 0x013100  // 1.49.0
#define UV_TCP_REUSEPORT 2
#define UV_UDP_REUSEPORT 64
#define UV_LOOP_USE_IO_URING_SQPOLL ((uv_loop_option)2)
#endif

#if UV_VERSION_HEX < 0x013200  // 1.50.0
int uv_getrusage_thread(uv_rusage_t* rusage);
int uv_udp_try_send2(uv_udp_t* handle, unsigned int count, uv_buf_t* bufs[/*count*/], unsigned int nbufs[/*count*/],
                     struct sockaddr* addrs[/*count*/], unsigned int flags);
#endif

#if UV_VERSION_HEX < 0x013400  // 1.52.0
int uv_tcp_keepalive_ex(uv_tcp_t* handle, int on, unsigned int idle, unsigned int intvl, unsigned int cnt);
int uv_udp_open_ex(uv_udp_t* handle, uv_os_sock_t sock, unsigned int flags);
#endif

// Node's own addition to its bundled libuv (whether libuv's Linux io_uring support is in use).
int uv__node_patch_is_using_io_uring(void);

#ifdef __cplusplus
}
#endif
