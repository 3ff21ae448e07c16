#include "kbc_storage_extract/extract/table_scheduler.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace kbc::extract {

void run_tables_in_order(std::size_t count, int parallel, const std::function<void(std::size_t index)>& step) {
  const auto workers = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, parallel)), count);
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) step(i);
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
}

ParallelBudget share_parallel(int parallel, std::size_t tables) {
  parallel = std::max(1, parallel);
  ParallelBudget budget;
  budget.tables_at_once = static_cast<int>(std::clamp<std::size_t>(tables, 1, static_cast<std::size_t>(parallel)));
  budget.streams_per_table = std::max(1, parallel / budget.tables_at_once);
  return budget;
}

}  // namespace kbc::extract
