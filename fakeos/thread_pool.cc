// See thread_pool.h.
#include "fakeos/thread_pool.h"

#include <algorithm>

#include "fakeos/base/check.h"
#include "fakeos/kernel.h"

namespace loopsim {

ThreadPool::ThreadPool(Kernel& kernel, int size) : kernel_(kernel), size_(size) { LS_CHECK(size >= 1); }

WorkId ThreadPool::Submit(std::function<void()> work, std::function<void()> done) {
  const WorkId id = next_id_++;
  items_[id] = Item{std::move(work), std::move(done)};
  queue_.push_back(id);
  StartQueued();
  return id;
}

bool ThreadPool::Cancel(WorkId id) {
  auto it = std::find(queue_.begin(), queue_.end(), id);
  if (it == queue_.end()) return false;
  queue_.erase(it);
  items_.erase(id);
  return true;
}

void ThreadPool::StartQueued() {
  while (busy_ < size_ && !queue_.empty()) {
    const WorkId id = queue_.front();
    queue_.pop_front();
    ++busy_;
    const Nanos duration{kMin.ns + kStep.ns * static_cast<int64_t>(
                                                  kernel_.chooser().Choose(Site::kWorkDuration, kSteps))};
    kernel_.At(kernel_.clock().Now() + duration, [this, id] {
      auto it = items_.find(id);
      LS_CHECK(it != items_.end());
      Item item = std::move(it->second);
      items_.erase(it);
      --busy_;
      item.work();
      item.done();
      StartQueued();
    });
  }
}

}  // namespace loopsim
