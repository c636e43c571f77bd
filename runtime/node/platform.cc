// See platform.h.
#include "runtime/node/platform.h"

#include <libplatform/libplatform.h>

#include "fakeos/base/check.h"
#include "runtime/runtime.h"

namespace loopsim::node_host {

class ForegroundRunner final : public v8::TaskRunner {
 public:
  ForegroundRunner(Platform* platform, v8::Isolate* isolate, uv_loop_t* loop)
      : platform_(platform), isolate_(isolate), loop_(loop) {
    flush_ = new uv_async_t;
    flush_->data = this;
    uv_async_init(loop_, flush_, [](uv_async_t* handle) {
      auto* self = static_cast<ForegroundRunner*>(handle->data);
      self->platform_->FlushForegroundTasks(self->isolate_);
    });
    uv_unref(reinterpret_cast<uv_handle_t*>(flush_));
  }

  ~ForegroundRunner() override = default;

  void Shutdown() {
    uv_close(reinterpret_cast<uv_handle_t*>(flush_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_async_t*>(h); });
    flush_ = nullptr;
    tasks_.clear();
  }

  void PostTask(std::unique_ptr<v8::Task> task) override {
    tasks_.push_back(std::move(task));
    if (flush_ != nullptr) uv_async_send(flush_);
  }
  void PostNonNestableTask(std::unique_ptr<v8::Task> task) override { PostTask(std::move(task)); }

  void PostDelayedTask(std::unique_ptr<v8::Task> task, double delay_in_seconds) override {
    auto* delayed = new Delayed{{}, std::move(task), this};
    delayed->timer.data = delayed;
    uv_timer_init(loop_, &delayed->timer);
    const uint64_t ms = delay_in_seconds <= 0 ? 0 : static_cast<uint64_t>(delay_in_seconds * 1000);
    uv_timer_start(&delayed->timer, [](uv_timer_t* t) {
      auto* d = static_cast<Delayed*>(t->data);
      d->runner->RunTask(std::move(d->task));
      uv_close(reinterpret_cast<uv_handle_t*>(&d->timer),
               [](uv_handle_t* h) { delete static_cast<Delayed*>(h->data); });
    }, ms, 0);
    uv_unref(reinterpret_cast<uv_handle_t*>(&delayed->timer));
  }
  void PostNonNestableDelayedTask(std::unique_ptr<v8::Task> task, double delay_in_seconds) override {
    PostDelayedTask(std::move(task), delay_in_seconds);
  }

  void PostIdleTask(std::unique_ptr<v8::IdleTask> task) override {
    LS_CHECK_MSG(false, "V8 posted an idle task although idle tasks are disabled");
  }
  bool IdleTasksEnabled() override { return false; }
  bool NonNestableTasksEnabled() const override { return true; }
  bool NonNestableDelayedTasksEnabled() const override { return true; }

  // Runs the tasks queued now; tasks they post wait for the next flush, as in Node's platform.
  bool Flush() {
    std::deque<std::unique_ptr<v8::Task>> batch;
    batch.swap(tasks_);
    for (auto& task : batch) RunTask(std::move(task));
    return !batch.empty();
  }

  void RunTask(std::unique_ptr<v8::Task> task) {
    v8::HandleScope handle_scope(isolate_);
    if (context_.IsEmpty()) {
      task->Run();
      return;
    }
    v8::Local<v8::Context> context = context_.Get(isolate_);
    v8::Context::Scope context_scope(context);
    node::CallbackScope callback_scope(isolate_, v8::Object::New(isolate_), {0, 0});
    task->Run();
  }

  void SetContext(v8::Local<v8::Context> context) { context_.Reset(isolate_, context); }
  void ResetContext() { context_.Reset(); }

  std::vector<std::pair<void (*)(void*), void*>> finished_callbacks;

 private:
  struct Delayed {
    uv_timer_t timer;
    std::unique_ptr<v8::Task> task;
    ForegroundRunner* runner;
  };

  Platform* platform_;
  v8::Isolate* isolate_;
  uv_loop_t* loop_;
  uv_async_t* flush_ = nullptr;
  std::deque<std::unique_ptr<v8::Task>> tasks_;
  v8::Global<v8::Context> context_;
};

Platform::Platform() = default;
Platform::~Platform() = default;

ForegroundRunner* Platform::Runner(v8::Isolate* isolate) {
  auto it = runners_.find(isolate);
  LS_CHECK_MSG(it != runners_.end(), "isolate not registered with the platform");
  return it->second.get();
}

void Platform::SetContext(v8::Isolate* isolate, v8::Local<v8::Context> context) {
  Runner(isolate)->SetContext(context);
}

std::shared_ptr<v8::TaskRunner> Platform::GetForegroundTaskRunner(v8::Isolate* isolate) {
  auto it = runners_.find(isolate);
  LS_CHECK_MSG(it != runners_.end(), "isolate not registered with the platform");
  return it->second;
}

void Platform::CallOnWorkerThread(std::unique_ptr<v8::Task> task) { worker_tasks_.push_back(std::move(task)); }

void Platform::CallDelayedOnWorkerThread(std::unique_ptr<v8::Task> task, double delay_in_seconds) {
  // Without worker threads a delayed worker task is a delayed task of the (only) isolate.
  LS_CHECK_MSG(runners_.size() == 1, "delayed worker task with no single isolate to run it on");
  runners_.begin()->second->PostDelayedTask(std::move(task), delay_in_seconds);
}

std::unique_ptr<v8::JobHandle> Platform::PostJob(v8::TaskPriority priority, std::unique_ptr<v8::JobTask> job_task) {
  return v8::platform::NewDefaultJobHandle(this, priority, std::move(job_task), 0);
}

double Platform::MonotonicallyIncreasingTime() {
  return static_cast<double>(runtime::SimClock().Now().ns) / 1e9;
}

double Platform::CurrentClockTimeMillis() {
  // Whole milliseconds, as Date.now() is.
  return static_cast<double>(runtime::SimClock().Wall().ns / 1000000);
}

bool Platform::RunWorkerTasks() {
  bool ran = false;
  while (!worker_tasks_.empty()) {
    std::unique_ptr<v8::Task> task = std::move(worker_tasks_.front());
    worker_tasks_.pop_front();
    task->Run();
    ran = true;
  }
  return ran;
}

bool Platform::FlushForegroundTasks(v8::Isolate* isolate) {
  const bool workers = RunWorkerTasks();
  const bool foreground = Runner(isolate)->Flush();
  return workers || foreground;
}

void Platform::DrainTasks(v8::Isolate* isolate) {
  while (FlushForegroundTasks(isolate)) {
  }
}

void Platform::RegisterIsolate(v8::Isolate* isolate, uv_loop_t* loop) {
  LS_CHECK_MSG(runners_.count(isolate) == 0, "isolate registered twice");
  runners_[isolate] = std::make_shared<ForegroundRunner>(this, isolate, loop);
}

void Platform::RegisterIsolate(v8::Isolate* isolate, node::IsolatePlatformDelegate* delegate) {
  runtime::Runtime::Get().Halt(runtime::Stop::kUnsupported,
                               "an isolate with its own platform delegate (worker threads) is not simulated yet");
}

void Platform::UnregisterIsolate(v8::Isolate* isolate) {
  auto it = runners_.find(isolate);
  LS_CHECK(it != runners_.end());
  std::shared_ptr<ForegroundRunner> runner = it->second;
  runners_.erase(it);
  runner->ResetContext();
  runner->Shutdown();
  for (auto [callback, data] : runner->finished_callbacks) callback(data);
}

void Platform::AddIsolateFinishedCallback(v8::Isolate* isolate, void (*callback)(void*), void* data) {
  auto it = runners_.find(isolate);
  if (it == runners_.end()) {
    callback(data);
    return;
  }
  it->second->finished_callbacks.emplace_back(callback, data);
}

}  // namespace loopsim::node_host
