#pragma once
// Runs the tables of a run up to `parallel` at once: step(i) for every i in [0, count), started
// in index order (configuration order) by up to `parallel` workers, each taking the next index
// when its previous step ended. Returns when every step has ended. The steps share nothing
// through the scheduler; a step writes only its own result slot, so results stay in order.
#include <cstddef>
#include <functional>

namespace kbc::extract {

void run_tables_in_order(std::size_t count, int parallel, const std::function<void(std::size_t index)>& step);

// How a run's --parallel budget is shared: `tables_at_once` tables run together and each copies
// with `streams_per_table` slices (or parts) at once, so that tables x streams <= parallel.
struct ParallelBudget {
  int tables_at_once = 1;
  int streams_per_table = 1;
};
ParallelBudget share_parallel(int parallel, std::size_t tables);

}  // namespace kbc::extract
