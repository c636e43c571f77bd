// The ready list of the epoll and kqueue models: the registrations (epoll.h) or knotes (kqueue.h) that may
// be reported, in the order they became ready, each on it at most once (the entry's `queued` says whether
// it is). Which of several is reported next is the chooser's (Site::kReadyOrder): the one choice either
// model makes.
//
// Fault model: none; the models' own rules decide what joins and leaves the list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "fakeos/base/check.h"
#include "fakeos/chooser.h"

namespace loopsim {

template <typename Entry>
class ReadyList {
 public:
  // `on_ready` is called whenever an entry joins the list. `order_ignores_chooser` is a test-only way to
  // break the seed's control of the order: entries are taken by a process-wide counter instead.
  ReadyList(Chooser& chooser, std::function<void()> on_ready, bool order_ignores_chooser)
      : chooser_(chooser), on_ready_(std::move(on_ready)), order_ignores_chooser_(order_ignores_chooser) {}

  // Puts the entry at the end of the list, unless it is on it already.
  void Add(Entry& entry) {
    if (entry.queued) return;
    entry.queued = true;
    entries_.push_back(&entry);
    if (on_ready_) on_ready_();
  }

  // Takes the entry off the list, if it is on it.
  void Remove(Entry& entry) {
    if (!entry.queued) return;
    std::erase(entries_, &entry);
    entry.queued = false;
  }

  // Takes off every entry that `still_ready` says is not, so that the choice of order is made only
  // among entries that will really be reported.
  template <typename Predicate>
  void Prune(Predicate still_ready) {
    std::erase_if(entries_, [&](Entry* entry) {
      if (still_ready(*entry)) return false;
      entry->queued = false;
      return true;
    });
  }

  bool empty() const { return entries_.empty(); }

  // Takes off the entry to report next, as the chooser picks it. The list must not be empty.
  Entry& TakeNext() {
    LS_CHECK(!entries_.empty());
    static uint64_t host_counter = 0;  // only for order_ignores_chooser
    const size_t pick = order_ignores_chooser_
                            ? static_cast<size_t>(host_counter++ % entries_.size())
                            : static_cast<size_t>(chooser_.Choose(Site::kReadyOrder, entries_.size()));
    Entry* entry = entries_[pick];
    entries_.erase(entries_.begin() + static_cast<ptrdiff_t>(pick));
    entry->queued = false;
    return *entry;
  }

 private:
  Chooser& chooser_;
  std::function<void()> on_ready_;
  bool order_ignores_chooser_;
  std::vector<Entry*> entries_;
};

}  // namespace loopsim
