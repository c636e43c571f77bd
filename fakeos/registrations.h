// The registrations of the epoll and kqueue models: an epoll instance's interest list (epoll.h) and a
// kqueue's knotes (kqueue.h). Each registration watches one file description under the key its model
// finds it by, and those that may be reported are on a ReadyList. Both models keep them alike: a new
// registration starts watching its description; deleting one takes it off the ready list and stops the
// watch; one whose description is released is deleted silently (as closing the last descriptor does on
// Linux and the BSDs); and when the model goes, every watch stops.
//
// Fault model: none; the models' own rules decide what is registered and what is ready.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <utility>

#include "fakeos/base/check.h"
#include "fakeos/chooser.h"
#include "fakeos/file_description.h"
#include "fakeos/ready_list.h"

namespace loopsim {

// `Entry` is the model's registration type, derived from Registration; the table makes every entry and
// holds it as a Registration, so that a model's header may leave Entry incomplete.
template <typename Key, typename Entry>
class Registrations {
 public:
  struct Registration : FileDescription::Watcher {
    virtual ~Registration() = default;
    void OnRelease(FileDescription&) final {
      desc = nullptr;  // the description is gone: do not unregister from it
      registrations->Remove(*this);
    }

    Registrations* registrations = nullptr;
    Key key{};                        // where the table holds it
    FileDescription* desc = nullptr;  // null once the description is released
    bool queued = false;              // on the ready list
  };

  // As ReadyList's.
  Registrations(Chooser& chooser, std::function<void()> on_ready, bool order_ignores_chooser)
      : ready_(chooser, std::move(on_ready), order_ignores_chooser) {}
  ~Registrations() {
    for (auto& [key, registration] : registrations_) registration->desc->RemoveWatcher(registration.get());
  }
  Registrations(const Registrations&) = delete;
  Registrations& operator=(const Registrations&) = delete;

  // The entry under `key`, or nullptr.
  Entry* Find(const Key& key) const {
    auto it = registrations_.find(key);
    return it == registrations_.end() ? nullptr : static_cast<Entry*>(it->second.get());
  }

  // A new entry under `key`, where there is none, watching `desc`.
  Entry& Add(const Key& key, FileDescription* desc) {
    auto entry = std::make_unique<Entry>();
    entry->registrations = this;
    entry->key = key;
    entry->desc = desc;
    Entry& ref = *entry;
    LS_CHECK(registrations_.emplace(key, std::move(entry)).second);
    desc->AddWatcher(&ref);
    return ref;
  }

  // Deletes the registration: off the ready list, and no longer watching its description.
  void Remove(Registration& registration) {
    ready_.Remove(registration);
    if (registration.desc) registration.desc->RemoveWatcher(&registration);
    LS_CHECK(registrations_.erase(Key(registration.key)) == 1);
  }

  size_t size() const { return registrations_.size(); }

  // The ready list, as ReadyList's Add, Remove, Prune (over entries), empty and TakeNext.
  void Ready(Registration& registration) { ready_.Add(registration); }
  void Unready(Registration& registration) { ready_.Remove(registration); }
  template <typename Predicate>
  void Prune(Predicate still_ready) {
    ready_.Prune([&](Registration& registration) { return still_ready(static_cast<Entry&>(registration)); });
  }
  bool none_ready() const { return ready_.empty(); }
  Entry& TakeNext() { return static_cast<Entry&>(ready_.TakeNext()); }

 private:
  std::map<Key, std::unique_ptr<Registration>> registrations_;
  ReadyList<Registration> ready_;
};

}  // namespace loopsim
