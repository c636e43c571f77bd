// The random runs of the readiness models, each checked against a reference of what its kernel must
// report: epoll's in epoll_test.cc, kqueue's in kqueue_test.cc. Both return "" or the first violation
// and append what each wait reported to *trace; readiness_models_test.cc runs them under the property
// suite the models share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fakeos/epoll.h"
#include "fakeos/kqueue.h"
#include "tests/support/mutation.h"

namespace loopsim {

std::string CheckEpollRun(uint64_t seed, const std::vector<uint8_t>& ops, const Epoll::TestMutations& mutations,
                          testing::ReportTrace* trace = nullptr);

std::string CheckKqueueRun(uint64_t seed, const std::vector<uint8_t>& ops, const KqueueTestMutations& mutations,
                           testing::ReportTrace* trace = nullptr);

}  // namespace loopsim
