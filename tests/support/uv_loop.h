// Ending a simulated libuv loop in the runtime's tests: every handle closed, the loop run to its end,
// and the loop closed (which must succeed: nothing may be left open).
#ifndef LOOPSIM_TESTS_SUPPORT_UV_LOOP_H_
#define LOOPSIM_TESTS_SUPPORT_UV_LOOP_H_

#include <gtest/gtest.h>

#include "runtime/uv/uv_compat.h"

namespace loopsim::testing {

inline void CloseLoop(uv_loop_t* loop) {
  uv_walk(
      loop,
      [](uv_handle_t* h, void*) {
        if (!uv_is_closing(h)) uv_close(h, nullptr);
      },
      nullptr);
  uv_run(loop, UV_RUN_DEFAULT);
  ASSERT_EQ(uv_loop_close(loop), 0);
}

}  // namespace loopsim::testing

#endif  // LOOPSIM_TESTS_SUPPORT_UV_LOOP_H_
