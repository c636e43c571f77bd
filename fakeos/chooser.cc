// See chooser.h.
#include "fakeos/chooser.h"

#include "fakeos/base/check.h"

namespace loopsim {

std::string_view SiteName(Site site) {
  switch (site) {
    case Site::kReadyOrder: return "ready-order";
    case Site::kCpuCost: return "cpu-cost";
    case Site::kScriptCost: return "script-cost";
    case Site::kWorkDuration: return "work-duration";
    case Site::kFault: return "fault";
    case Site::kNetDelay: return "net-delay";
    case Site::kThread: return "thread";
    case Site::kCount: break;
  }
  return "unknown";
}

Stream SiteStream(Site site) {
  switch (site) {
    case Site::kReadyOrder: return Stream::kScheduler;
    case Site::kCpuCost:
    case Site::kScriptCost: return Stream::kCpu;
    case Site::kWorkDuration: return Stream::kThreadPool;
    case Site::kFault: return Stream::kFaults;
    case Site::kNetDelay: return Stream::kNetwork;
    case Site::kThread: return Stream::kThreads;
    case Site::kCount: break;
  }
  LS_CHECK_MSG(false, "site without a stream");
}

// A run of a few hundred thousand callbacks makes a million decisions. Growing the log by doubling
// copies it each time into memory never touched before (in a forked seed, a page fault per 4 KiB), so
// the log reserves room for a million at its first decision: address space only, whose pages are
// touched as decisions fill them.
constexpr size_t kLogReserve = size_t{1} << 20;

uint64_t Chooser::Choose(Site site, uint64_t n) {
  LS_CHECK(n >= 1);
  if (n == 1) return 0;
  const uint64_t value = Decide(site, n);
  LS_CHECK(value < n);
  if (!logging_) return value;
  if (log_.capacity() == 0) log_.reserve(kLogReserve);
  log_.push_back({site, n, value});
  return value;
}

void ChooserSlot::Reset(std::unique_ptr<Chooser> inner) {
  LS_CHECK(inner != nullptr);
  inner_ = std::move(inner);
  ClearLog();
}

RandomChooser::RandomChooser(uint64_t seed) {
  streams_.reserve(static_cast<size_t>(Stream::kCount));
  for (uint32_t s = 0; s < static_cast<uint32_t>(Stream::kCount); ++s) {
    streams_.emplace_back(StreamSeed(seed, static_cast<Stream>(s)));
  }
}

uint64_t RandomChooser::Decide(Site site, uint64_t n) {
  return streams_[static_cast<size_t>(SiteStream(site))].Below(n);
}

ReplayChooser::ReplayChooser(std::vector<Decision> schedule, Misfit on_misfit)
    : schedule_(std::move(schedule)), on_misfit_(std::move(on_misfit)) {}

uint64_t ReplayChooser::Decide(Site site, uint64_t n) {
  if (next_ < schedule_.size()) {
    const size_t index = next_++;
    const Decision& d = schedule_[index];
    if (d.site == site && d.n == n && d.value < n) return d.value;
    if (on_misfit_) {
      Misfit once = std::move(on_misfit_);
      on_misfit_ = nullptr;
      once(index, d, site, n);
    }
  }
  ++mismatches_;
  return 0;
}

}  // namespace loopsim
