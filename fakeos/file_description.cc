// See file_description.h.
#include "fakeos/file_description.h"

#include <algorithm>

#include "fakeos/base/check.h"

namespace loopsim {

FileDescription::~FileDescription() {
  // A watcher forgetting this description may unregister itself: take the list first.
  std::vector<Watcher*> watchers = std::move(watchers_);
  watchers_.clear();
  for (Watcher* w : watchers) w->OnRelease(*this);
}

void FileDescription::AddWatcher(Watcher* w) {
  LS_CHECK(std::find(watchers_.begin(), watchers_.end(), w) == watchers_.end());
  watchers_.push_back(w);
}

void FileDescription::RemoveWatcher(Watcher* w) {
  auto it = std::find(watchers_.begin(), watchers_.end(), w);
  LS_CHECK(it != watchers_.end());
  watchers_.erase(it);
}

void FileDescription::Wake(uint32_t events) {
  if (events == 0) return;
  // Watchers may come and go while they are told: tell those registered now that are still registered.
  const std::vector<Watcher*> snapshot = watchers_;
  for (Watcher* w : snapshot) {
    if (std::find(watchers_.begin(), watchers_.end(), w) != watchers_.end()) w->OnWake(*this, events);
  }
}

}  // namespace loopsim
