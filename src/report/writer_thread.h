// WriterThread: the per-outcome writes of a run (pages.jsonl, the evidence
// files, the history inserts: report/history_writer.h) on a thread of their
// own, fed through a moodycamel queue, so a slow disk or a locked history
// does not hold up the fetch loop that produces the outcomes.
//
// Threads: Post() is called from one thread (the crawl's I/O thread); the
// writer thread is the only one calling the writers' Add between the
// constructor and Stop(). The writers must have been begun before, and are
// the caller's again after Stop() returns.
//
// Memory: at most `max_pending` outcomes wait in the queue; Post() waits
// (1 ms naps) while the writer is that far behind, so a stalled disk slows
// fetching down instead of growing the queue without bound.
#pragma once

#include <atomic>
#include <concurrentqueue/blockingconcurrentqueue.h>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/error.h"
#include "report/writer.h"

namespace bc {

class WriterThread {
 public:
  // `writers` must outlive this object (or Stop()).
  explicit WriterThread(std::vector<ReportWriter*> writers, size_t max_pending = 4096);
  ~WriterThread();  // Stop()
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;

  // Queues one finished probe for every writer's Add. `probe` must outlive
  // Stop(). Returns the first write error seen so far (writes are
  // asynchronous: an error shows at a later Post or at Stop).
  Result<void> Post(const Probe& probe, Outcome outcome);

  // Queues `job` (a file to write: evidence) to run on the writer thread, in
  // order with the outcomes; it counts toward max_pending like one. Its error,
  // like a writer's, comes back from a later Post or Stop.
  Result<void> PostJob(std::function<Result<void>()> job);

  // Waits until every outcome posted so far has been written (tests,
  // `tail -f` expectations). The first write error, if any.
  Result<void> Flush();

  // Writes everything queued, ends the thread. The first write error, if any.
  // Idempotent.
  Result<void> Stop();

 private:
  struct Item {
    const Probe* probe = nullptr;  // null and no job: stop
    Outcome outcome;
    std::function<Result<void>()> job;  // set: run it instead of the writers
  };
  void WaitForRoom();
  void NoteError(const Error& error);
  void Loop();
  Result<void> FirstError();

  std::vector<ReportWriter*> writers_;
  size_t max_pending_;
  moodycamel::BlockingConcurrentQueue<Item> queue_;
  moodycamel::ProducerToken producer_{queue_};  // one FIFO for Post and Stop, whatever the thread
  std::atomic<size_t> pending_{0};
  std::atomic<bool> failed_{false};
  std::mutex error_mutex_;
  std::optional<Error> error_;  // guarded by error_mutex_
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace bc
