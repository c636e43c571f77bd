/* A plain C libuv program, the kind loopsim can test without Node: a "cache warmer" that writes three
 * files through the thread pool and records, in `order`, the order in which their writes completed. A
 * timer fires after 1 ms and snapshots how many writes had completed by then. */
#include "libuv_program.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <uv.h>

struct warmer {
  uv_fs_t opens[3];
  uv_fs_t writes[3];
  uv_buf_t bufs[3];
  char names[3][32];
  uv_timer_t timer;
  struct warmer_result* result;
};

static struct warmer w;

static void on_write(uv_fs_t* req) {
  int index = (int)(req - w.writes);
  size_t n = strlen(w.result->order);
  w.result->order[n] = (char)('a' + index);
  w.result->order[n + 1] = '\0';
  w.result->completed++;
  uv_fs_req_cleanup(req);
}

static void on_timer(uv_timer_t* timer) {
  w.result->completed_at_timer = w.result->completed;
  uv_close((uv_handle_t*)timer, NULL);
}

int warm_cache(uv_loop_t* loop, struct warmer_result* result) {
  int i;
  memset(&w, 0, sizeof(w));
  memset(result, 0, sizeof(*result));
  w.result = result;
  for (i = 0; i < 3; i++) {
    snprintf(w.names[i], sizeof(w.names[i]), "/tmp/cache-%c", 'a' + i);
    if (uv_fs_open(NULL, &w.opens[i], w.names[i], O_WRONLY | O_CREAT | O_TRUNC, 0644, NULL) < 0) return -1;
    w.bufs[i] = uv_buf_init(w.names[i], (unsigned)strlen(w.names[i]));
    uv_fs_write(loop, &w.writes[i], (uv_file)w.opens[i].result, &w.bufs[i], 1, 0, on_write);
    uv_fs_req_cleanup(&w.opens[i]);
  }
  uv_timer_init(loop, &w.timer);
  uv_timer_start(&w.timer, on_timer, 1, 0);
  return uv_run(loop, UV_RUN_DEFAULT);
}
