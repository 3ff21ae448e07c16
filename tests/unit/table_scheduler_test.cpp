#include <catch2/catch.hpp>

#include <atomic>
#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "kbc_storage_extract/extract/table_scheduler.hpp"

using kbc::extract::run_tables_in_order;
using kbc::extract::share_parallel;

TEST_CASE("the scheduler starts tables in configuration order, at most N at once, each result in its own slot") {
  for (int parallel : {1, 2, 3, 8}) {
    INFO("parallel " << parallel);
    const std::size_t count = 7;
    std::vector<int> results(count, -1);
    std::vector<std::size_t> started;
    std::mutex mutex;
    std::atomic<int> running{0};
    std::atomic<int> most{0};
    run_tables_in_order(count, parallel, [&](std::size_t i) {
      {
        std::lock_guard lock(mutex);
        started.push_back(i);
      }
      const int now = ++running;
      for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * static_cast<int>(count - i)));
      results[i] = static_cast<int>(i) * 10;
      --running;
    });
    for (std::size_t i = 0; i < count; ++i) CHECK(results[i] == static_cast<int>(i) * 10);
    REQUIRE(started.size() == count);
    // One worker: strictly in order. More: each takes the next index in order, but another may
    // reach its step's first line first, so only the set is checked.
    if (parallel == 1)
      for (std::size_t i = 0; i < count; ++i) CHECK(started[i] == i);
    std::sort(started.begin(), started.end());
    for (std::size_t i = 0; i < count; ++i) CHECK(started[i] == i);
    CHECK(most.load() <= parallel);
  }
}

TEST_CASE("the scheduler with no tables returns at once") {
  int calls = 0;
  run_tables_in_order(0, 4, [&](std::size_t) { ++calls; });
  CHECK(calls == 0);
}

TEST_CASE("the --parallel budget: tables at once times streams per table stays within it") {
  CHECK(share_parallel(1, 5).tables_at_once == 1);
  CHECK(share_parallel(1, 5).streams_per_table == 1);
  CHECK(share_parallel(4, 1).tables_at_once == 1);
  CHECK(share_parallel(4, 1).streams_per_table == 4);
  CHECK(share_parallel(4, 2).tables_at_once == 2);
  CHECK(share_parallel(4, 2).streams_per_table == 2);
  CHECK(share_parallel(4, 10).tables_at_once == 4);
  CHECK(share_parallel(4, 10).streams_per_table == 1);
  CHECK(share_parallel(5, 2).streams_per_table == 2);  // 2 x 2 <= 5
  CHECK(share_parallel(0, 0).tables_at_once == 1);
}
