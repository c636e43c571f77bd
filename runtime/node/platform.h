// loopsim's V8/Node platform: single-threaded and driven by the simulated loop, so V8's own background
// work cannot introduce nondeterminism and a zygote can fork with exactly one thread.
//
// - No worker threads. Worker tasks are queued and run on the loop thread when the platform flushes;
//   jobs run only when joined (V8's default job handle with zero workers).
// - Foreground tasks run from an unreferenced async handle on the isolate's loop (a later poll phase),
//   inside a Node callback scope so ticks and microtasks drain after them, as Node's own platform does.
// - Delayed tasks become unreferenced timers on the loop: they run on virtual time.
// - Clocks come from the virtual kernel.
#pragma once

#include <v8-platform.h>
#include <node.h>
#include <uv.h>

#include <deque>
#include <map>
#include <memory>

namespace loopsim::node_host {

class ForegroundRunner;

class Platform final : public node::MultiIsolatePlatform {
 public:
  Platform();
  ~Platform() override;

  // The context tasks run in once the environment exists (before that they run without one).
  void SetContext(v8::Isolate* isolate, v8::Local<v8::Context> context);

  // v8::Platform
  int NumberOfWorkerThreads() override { return 0; }
  std::shared_ptr<v8::TaskRunner> GetForegroundTaskRunner(v8::Isolate* isolate) override;
  void CallOnWorkerThread(std::unique_ptr<v8::Task> task) override;
  void CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task, double delay_in_seconds) override;
  bool IdleTasksEnabled(v8::Isolate* isolate) override { return false; }
  std::unique_ptr<v8::JobHandle> PostJob(v8::TaskPriority priority, std::unique_ptr<v8::JobTask> job_task) override;
  double MonotonicallyIncreasingTime() override;
  double CurrentClockTimeMillis() override;
  v8::TracingController* GetTracingController() override { return &tracing_controller_; }

  // node::MultiIsolatePlatform
  bool FlushForegroundTasks(v8::Isolate* isolate) override;
  void DrainTasks(v8::Isolate* isolate) override;
  void RegisterIsolate(v8::Isolate* isolate, uv_loop_t* loop) override;
  void RegisterIsolate(v8::Isolate* isolate, node::IsolatePlatformDelegate* delegate) override;
  void UnregisterIsolate(v8::Isolate* isolate) override;
  void AddIsolateFinishedCallback(v8::Isolate* isolate, void (*callback)(void*), void* data) override;

 private:
  bool RunWorkerTasks();
  ForegroundRunner* Runner(v8::Isolate* isolate);

  v8::TracingController tracing_controller_;
  std::deque<std::unique_ptr<v8::Task>> worker_tasks_;
  // Keyed by isolate; looked up only, never iterated for ordering.
  std::map<v8::Isolate*, std::shared_ptr<ForegroundRunner>> runners_;
};

}  // namespace loopsim::node_host
