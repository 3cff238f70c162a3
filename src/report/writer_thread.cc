#include "report/writer_thread.h"

#include <chrono>
#include <utility>

namespace bc {

WriterThread::WriterThread(std::vector<ReportWriter*> writers, size_t max_pending)
    : writers_(std::move(writers)), max_pending_(max_pending == 0 ? 1 : max_pending), thread_([this] { Loop(); }) {}

WriterThread::~WriterThread() { (void)Stop(); }

Result<void> WriterThread::Post(const Probe& probe, Outcome outcome) {
  // Back-pressure: a writer this far behind (stalled disk) slows the caller
  // down rather than letting the queue hold every outcome of the run.
  while (pending_.load(std::memory_order_acquire) >= max_pending_)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  pending_.fetch_add(1, std::memory_order_acq_rel);
  queue_.enqueue(producer_, Item{&probe, std::move(outcome)});
  return FirstError();
}

void WriterThread::Loop() {
  for (;;) {
    Item item;
    queue_.wait_dequeue(item);
    if (item.probe == nullptr) return;
    for (ReportWriter* w : writers_) {
      if (auto ok = w->Add(*item.probe, item.outcome); !ok && !failed_.load()) {
        std::lock_guard<std::mutex> lock(error_mutex_);
        if (!error_) error_ = ok.error();
        failed_.store(true);
      }
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
