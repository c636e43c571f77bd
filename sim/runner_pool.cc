// See runner_pool.h.
#include "sim/runner_pool.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "fakeos/base/check.h"
#include "sim/interrupt.h"

namespace loopsim::sim {

RunnerPool::RunnerPool(int jobs, const Factory& make_runner) {
  LS_CHECK_MSG(jobs >= 1, "a runner pool needs a runner");
  for (int i = 0; i < jobs; ++i) runners_.push_back(make_runner(i));
}

size_t RunnerPool::Run(size_t count, const std::function<SeedRequest(size_t)>& make,
                       const std::function<bool(size_t, SeedResult&)>& on_result) {
  std::mutex mu;
  std::condition_variable cv;
  size_t next = 0;
  bool stop = false;
  int running_threads = 0;
  std::deque<std::pair<size_t, SeedResult>> done;
  std::vector<bool> answered(count);  // each index handed out comes back once

  std::vector<std::thread> threads;
  for (auto& runner : runners_) {
    ++running_threads;
    threads.emplace_back([&, r = runner.get()] {
      for (;;) {
        size_t index;
        SeedRequest request;
        {
          std::lock_guard<std::mutex> lock(mu);
          if (stop || next >= count || StopSignal() != 0) break;
          index = next++;
          request = make(index);
        }
        SeedResult result = r->Run(request);
        std::lock_guard<std::mutex> lock(mu);
        done.emplace_back(index, std::move(result));
        cv.notify_all();
      }
      std::lock_guard<std::mutex> lock(mu);
      --running_threads;
      cv.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(mu);
  for (;;) {
    cv.wait(lock, [&] { return !done.empty() || running_threads == 0; });
    if (done.empty()) break;
    auto [index, result] = std::move(done.front());
    done.pop_front();
    LS_CHECK_MSG(index < next && !answered[index], "a seed's result came back twice, or unasked");
    answered[index] = true;
    if (StopSignal() != 0) {
      stop = true;  // a run the stop cut short is no result
      continue;
    }
    lock.unlock();
    const bool more = on_result(index, result);
    lock.lock();
    if (!more) stop = true;
  }
  lock.unlock();
  for (std::thread& t : threads) t.join();
  return next;
}

std::vector<SeedResult> RunnerPool::RunAll(const std::vector<SeedRequest>& requests) {
  std::vector<SeedResult> results(requests.size());
  Run(
      requests.size(), [&](size_t i) { return requests[i]; },
      [&](size_t i, SeedResult& r) {
        results[i] = std::move(r);
        return true;
      });
  return results;
}

}  // namespace loopsim::sim
