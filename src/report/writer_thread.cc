#include "report/writer_thread.h"

#include <chrono>
#include <utility>

namespace bc {

WriterThread::WriterThread(std::vector<ReportWriter*> writers, size_t max_pending)
    : writers_(std::move(writers)), max_pending_(max_pending == 0 ? 1 : max_pending), thread_([this] { Loop(); }) {}

WriterThread::~WriterThread() { (void)Stop(); }

// Back-pressure: a writer this far behind (stalled disk) slows the caller
// down rather than letting the queue hold every outcome of the run.
void WriterThread::WaitForRoom() {
  while (pending_.load(std::memory_order_acquire) >= max_pending_)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  pending_.fetch_add(1, std::memory_order_acq_rel);
}

Result<void> WriterThread::Post(const Probe& probe, Outcome outcome) {
  WaitForRoom();
  queue_.enqueue(producer_, Item{&probe, std::move(outcome), {}});
  return FirstError();
}

Result<void> WriterThread::PostJob(std::function<Result<void>()> job) {
  WaitForRoom();
  queue_.enqueue(producer_, Item{nullptr, Outcome{}, std::move(job)});
  return FirstError();
}

void WriterThread::NoteError(const Error& error) {
  if (failed_.load()) return;
  std::lock_guard<std::mutex> lock(error_mutex_);
  if (!error_) error_ = error;
  failed_.store(true);
}

void WriterThread::Loop() {
  for (;;) {
    Item item;
    queue_.wait_dequeue(item);
    if (item.job) {
      if (auto ok = item.job(); !ok) NoteError(ok.error());
    } else if (item.probe == nullptr) {
      return;
    } else {
      for (ReportWriter* w : writers_)
        if (auto ok = w->Add(*item.probe, item.outcome); !ok) NoteError(ok.error());
    }
    pending_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

Result<void> WriterThread::FirstError() {
  if (!failed_.load()) return {};
  std::lock_guard<std::mutex> lock(error_mutex_);
  return std::unexpected(*error_);
}

Result<void> WriterThread::Flush() {
  while (!stopped_ && pending_.load(std::memory_order_acquire) > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return FirstError();
}

Result<void> WriterThread::Stop() {
  if (!stopped_) {
    stopped_ = true;
    queue_.enqueue(producer_, Item{});  // after every queued item: one producer token, one FIFO
    if (thread_.joinable()) thread_.join();
  }
  return FirstError();
}

}  // namespace bc
