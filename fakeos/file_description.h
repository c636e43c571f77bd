// The virtual file description: the one thing every readiness model observes. A socket, a pipe end or
// any other kernel object the loop waits on is a FileDescription. It answers two questions and makes one
// promise:
//   - Poll(): its readiness level now (readable, writable, peer hung up, hung up, error), as a driver's
//     poll method does in a real kernel;
//   - ReadableCount()/WritableCount(): the byte counts kqueue reports in `data`;
//   - it calls Wake(events) whenever something happens that a waiter could care about (data arrived,
//     space was freed, the peer hung up), even if the level did not change: that is the edge epoll's
//     EPOLLET and kqueue's EV_CLEAR react to, as a wake-up on a wait queue is in Linux.
// Models register a Watcher per interest. When the last reference to the description goes (the program
// closed every descriptor that held it) each watcher hears OnRelease and must forget the description,
// which is how epoll drops a registration silently when a descriptor is closed.
//
// Read and Write move the bytes of the program's read(2) and write(2) on the descriptor; they return a
// count or a negative errno (-EAGAIN when they would block).
//
// Fault model: none here; the objects implementing it inject their own faults.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace loopsim {

// Readiness bits. They mean what the epoll flags of the same name mean; kqueue translates them.
inline constexpr uint32_t kPollIn = 1u << 0;     // a read would not block: data, EOF, a connection, an error
inline constexpr uint32_t kPollOut = 1u << 1;    // a write would not block
inline constexpr uint32_t kPollRdHup = 1u << 2;  // the peer shut down its writing side
inline constexpr uint32_t kPollErr = 1u << 3;    // an error is pending
inline constexpr uint32_t kPollHup = 1u << 4;    // both directions are shut down, or the object is gone

class FileDescription {
 public:
  class Watcher {
   public:
    // Something happened on `d`; `events` are the bits it concerned. d.Poll() already has the new level.
    // A watcher may add or remove watchers (itself included) from here.
    virtual void OnWake(FileDescription& d, uint32_t events) = 0;
    // `d` is being destroyed: forget it. Its own state is gone already, so do not call into it.
    virtual void OnRelease(FileDescription& d) = 0;

   protected:
    ~Watcher() = default;
  };

  FileDescription() = default;
  FileDescription(const FileDescription&) = delete;
  FileDescription& operator=(const FileDescription&) = delete;
  virtual ~FileDescription();

  virtual uint32_t Poll() const = 0;
  virtual int64_t ReadableCount() const = 0;
  virtual int64_t WritableCount() const = 0;
  virtual int64_t Read(void* buf, size_t len) = 0;
  virtual int64_t Write(const void* buf, size_t len) = 0;

  void AddWatcher(Watcher* w);
  void RemoveWatcher(Watcher* w);
  size_t watcher_count() const { return watchers_.size(); }

  // Tells every watcher, in the order they registered, that `events` happened.
  void Wake(uint32_t events);

 private:
  std::vector<Watcher*> watchers_;
};

}  // namespace loopsim
