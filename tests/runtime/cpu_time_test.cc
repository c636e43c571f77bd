// The CPU-time model of the runtime (Runtime::ChargeCallback): a callback charges a seed-chosen running
// time, except, once a host tracks JavaScript, a callback during which no JavaScript may have run, which
// costs kNoJavaScriptCost and takes no decision. Driven through a plain libuv loop, whose callbacks play
// the host's part by noting JavaScript themselves.
#include <gtest/gtest.h>
#include <uv.h>

#include "runtime/runtime.h"

namespace loopsim {
namespace {

class CpuTimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    runtime::RuntimeOptions options;
    options.kernel.seed = 5;
    runtime::Runtime::Start(std::move(options));
  }
  void TearDown() override { runtime::Runtime::Shutdown(); }

  static runtime::Runtime& R() { return runtime::Runtime::Get(); }
  static size_t CpuDecisions() {
    size_t n = 0;
    for (const Decision& d : R().kernel().chooser().log()) n += d.site == Site::kCpuCost;
    return n;
  }
  static int64_t NowNs() { return R().kernel().clock().SinceBoot().ns; }
};

TEST_F(CpuTimeTest, WithoutAJavaScriptHostEveryCallbackIsChargedAChosenCost) {
  for (int i = 0; i < 20; ++i) R().ChargeCallback();
  EXPECT_EQ(CpuDecisions(), 20u);
}

TEST_F(CpuTimeTest, ACallbackThatRanNoJavaScriptCostsAMicrosecondAndDecidesNothing) {
  R().TrackJavaScript();
  const int64_t before = NowNs();
  for (int i = 0; i < 20; ++i) R().ChargeCallback();
  EXPECT_EQ(CpuDecisions(), 0u);
  EXPECT_EQ(NowNs() - before, 20 * runtime::kNoJavaScriptCost.ns);
}

TEST_F(CpuTimeTest, JavaScriptSinceTheLastChargeIsChargedOnceByTheNextCallback) {
  R().TrackJavaScript();
  R().NoteJavaScript();
  R().NoteJavaScript();  // entries into the engine nest; one callback is still one charge
  R().ChargeCallback();
  EXPECT_EQ(CpuDecisions(), 1u);
  R().ChargeCallback();  // ran none since
  EXPECT_EQ(CpuDecisions(), 1u);
  R().NoteJavaScript();
  R().ChargeCallback();
  EXPECT_EQ(CpuDecisions(), 2u);
}

TEST_F(CpuTimeTest, TheScriptChargeClaimsTheJavaScriptBeforeIt) {
  R().TrackJavaScript();
  R().NoteJavaScript();  // the main script ran
  R().ChargeScript();
  R().ChargeCallback();
  EXPECT_EQ(CpuDecisions(), 0u);
  EXPECT_EQ(R().kernel().chooser().log().size(), 1u);  // the script's own decision
}

// Through the loop: an idle callback that notes JavaScript is charged, one that does not is not.
TEST_F(CpuTimeTest, LoopCallbacksAreChargedByWhetherJavaScriptRan) {
  R().TrackJavaScript();
  uv_loop_t loop;
  ASSERT_EQ(uv_loop_init(&loop), 0);
  struct Counter {
    uv_idle_t idle;
    int runs = 0;
  } counter;
  uv_idle_init(&loop, &counter.idle);
  uv_idle_start(&counter.idle, [](uv_idle_t* h) {
    auto* c = reinterpret_cast<Counter*>(h);
    if (++c->runs % 2 == 0) runtime::Runtime::Get().NoteJavaScript();
    if (c->runs == 10) uv_idle_stop(h);
  });
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(counter.runs, 10);
  EXPECT_EQ(CpuDecisions(), 5u);
  uv_loop_close(&loop);
}

}  // namespace
}  // namespace loopsim
