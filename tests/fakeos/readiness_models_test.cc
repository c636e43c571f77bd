// The readiness models, epoll's and kqueue's, under the property suite they share
// (readiness_model_property.h), each with the rules of its own broken on purpose and caught, and each
// with a rapidcheck property over its random runs (readiness_runs.h). For a deep local run:
//   RC_PARAMS="max_success=10000" ./readiness_models_test --gtest_filter='*Property*'
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/fakeos/readiness_model_property.h"
#include "tests/fakeos/readiness_runs.h"

namespace loopsim {
namespace {

// Epoll's own rules: an event is reported once, an edge-triggered registration waits for a new edge, a
// one-shot one is disarmed once reported.
constexpr OwnRule<Epoll::TestMutations> kEpollRules[] = {
    {&Epoll::TestMutations::duplicate_events, "twice"},
    {&Epoll::TestMutations::edge_rearms, "without a new edge"},
    {&Epoll::TestMutations::oneshot_stays_armed, "disarmed one-shot"},
};

// Kqueue's own rules: an EV_CLEAR knote waits for a new wake, an EV_ONESHOT one is deleted once it
// fires, `data` counts the bytes there are.
constexpr OwnRule<KqueueTestMutations> kKqueueRules[] = {
    {&KqueueTestMutations::clear_rearms, "without a new wake"},
    {&KqueueTestMutations::oneshot_stays, "deleted knote"},
    {&KqueueTestMutations::data_off_by_one, "byte count"},
};

using EpollModel = ReadinessModel<Epoll::TestMutations, CheckEpollRun, kEpollRules>;
using KqueueModel = ReadinessModel<KqueueTestMutations, CheckKqueueRun, kKqueueRules>;
INSTANTIATE_TYPED_TEST_SUITE_P(EpollProperty, ReadinessModelProperty, EpollModel);
INSTANTIATE_TYPED_TEST_SUITE_P(KqueueProperty, ReadinessModelProperty, KqueueModel);

RC_GTEST_PROP(EpollProperty, ReportsFollowLevelEdgeAndOneshotRulesAndLoseOrDuplicateNothing,
              (uint64_t seed, std::vector<uint8_t> ops)) {
  RC_ASSERT(CheckEpollRun(seed, ops, {}) == "");
}

RC_GTEST_PROP(KqueueProperty, ReportsFollowLevelClearOneshotAndDataRulesAndLoseNothing,
              (uint64_t seed, std::vector<uint8_t> ops)) {
  RC_ASSERT(CheckKqueueRun(seed, ops, {}) == "");
}

}  // namespace
}  // namespace loopsim
