/* The plain C libuv program of libuv_program.c. */
#ifndef LOOPSIM_TESTS_RUNTIME_LIBUV_PROGRAM_H_
#define LOOPSIM_TESTS_RUNTIME_LIBUV_PROGRAM_H_

#include <uv.h>

#ifdef __cplusplus
extern "C" {
#endif

struct warmer_result {
  char order[4];           /* which writes completed, in completion order ("abc", "bca", ...) */
  int completed;           /* how many writes completed */
  int completed_at_timer;  /* how many had completed when the 1 ms timer fired */
};

int warm_cache(uv_loop_t* loop, struct warmer_result* result);

#ifdef __cplusplus
}
#endif

#endif
