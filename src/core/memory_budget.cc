#include "core/memory_budget.h"

namespace bc {

bool MemoryBudget::TryReserve(size_t bytes) {
  const auto n = static_cast<int64_t>(bytes);
  int64_t now = used_.load(std::memory_order_relaxed);
  do {
    if (now + n > limit_) {
      refusals_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
  } while (!used_.compare_exchange_weak(now, now + n, std::memory_order_relaxed));
  NotePeak(now + n);
  return true;
}

void MemoryBudget::Charge(size_t bytes) {
  NotePeak(used_.fetch_add(static_cast<int64_t>(bytes), std::memory_order_relaxed) + static_cast<int64_t>(bytes));
}

void MemoryBudget::Release(size_t bytes) { used_.fetch_sub(static_cast<int64_t>(bytes), std::memory_order_relaxed); }

void MemoryBudget::NotePeak(int64_t now) {
  int64_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

}  // namespace bc
