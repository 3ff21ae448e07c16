#include <catch2/catch.hpp>

#include <chrono>

#include "kbc_storage_extract/storage_api/client.hpp"

namespace sapi = kbc::storage_api;
using namespace std::chrono_literals;

namespace {

// Polls of a job that ends at `duration` under the policy, and how late its end is seen (the
// time a poll itself takes is left out: it only adds to the elapsed time).
struct Schedule {
  int polls = 0;
  std::chrono::milliseconds slack{0};
};

Schedule simulate(std::chrono::milliseconds duration, const sapi::JobPolling& polling = {}) {
  Schedule schedule;
  std::chrono::milliseconds now{0};
  while (true) {
    now += sapi::next_poll_delay(polling, now);
    ++schedule.polls;
    if (now >= duration) {
      schedule.slack = now - duration;
      return schedule;
    }
  }
}

}  // namespace

TEST_CASE("job polling waits 5% of the elapsed time, at least 25 ms and at most 250 ms") {
  const sapi::JobPolling polling;
  CHECK(sapi::next_poll_delay(polling, 0ms) == 25ms);
  CHECK(sapi::next_poll_delay(polling, 400ms) == 25ms);
  CHECK(sapi::next_poll_delay(polling, 1s) == 50ms);
  CHECK(sapi::next_poll_delay(polling, 4s) == 200ms);
  CHECK(sapi::next_poll_delay(polling, 5s) == 250ms);
  CHECK(sapi::next_poll_delay(polling, 3h) == 250ms);
}

TEST_CASE("a job's end is noticed within max(25 ms, 5% of its duration) and 250 ms, with bounded polls") {
  for (const auto duration : {10ms, 100ms, 500ms, 1'000ms, 2'345ms, 10'000ms, 60'000ms, 600'000ms}) {
    INFO("job of " << duration.count() << " ms");
    const auto schedule = simulate(duration);
    CHECK(schedule.slack <= std::max(25ms, duration / 20));
    CHECK(schedule.slack <= 250ms);
    // ~20 polls in the first 500 ms, ~50 more up to 5 s, then 4 a second.
    const auto beyond_5s = std::max(0ms, duration - 5'000ms);
    CHECK(schedule.polls <= 75 + beyond_5s.count() * 4 / 1000 + 1);
  }
  CHECK(simulate(10ms).polls == 1);
  CHECK(simulate(100ms).polls == 4);
  CHECK(simulate(10'000ms).polls <= 100);
}
