// BytePipe: the bounded ring buffer between a download thread and an upload thread.
#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <thread>

#include "kbc_storage_extract/transfer/byte_pipe.hpp"

using kbc::transfer::BytePipe;

TEST_CASE("byte pipe: bytes come out in order across many wrap-arounds of a small ring") {
  BytePipe pipe(7);
  std::string sent;
  for (int i = 0; i < 100'000; ++i) sent.push_back(static_cast<char>(i * 31 % 251));
  std::thread producer([&] {
    for (std::size_t at = 0; at < sent.size();) {
      const std::size_t n = std::min<std::size_t>(1 + at % 13, sent.size() - at);
      REQUIRE(pipe.write(sent.data() + at, n));
      at += n;
    }
    pipe.close();
  });
  std::string received;
  char buffer[5];
  while (const auto n = pipe.read(buffer, sizeof buffer)) received.append(buffer, n);
  producer.join();
  CHECK(received == sent);
}

TEST_CASE("byte pipe: after close the reader drains what is left, then gets 0") {
  BytePipe pipe(16);
  REQUIRE(pipe.write("abc", 3));
  pipe.close();
  char buffer[16];
  CHECK(pipe.read(buffer, sizeof buffer) == 3);
  CHECK(pipe.read(buffer, sizeof buffer) == 0);
}

TEST_CASE("byte pipe: fail() stops a waiting reader at once") {
  BytePipe pipe(16);
  auto reader = std::async(std::launch::async, [&] {
    char buffer[4];
    return pipe.read(buffer, sizeof buffer);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  pipe.fail();
  REQUIRE(reader.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK(reader.get() == 0);
}

TEST_CASE("byte pipe: cancel() releases a writer blocked on a full pipe") {
  BytePipe pipe(4);
  auto writer = std::async(std::launch::async, [&] { return pipe.write("0123456789", 10); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(writer.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);  // blocked: 4 of 10 fit
  pipe.cancel();
  REQUIRE(writer.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK_FALSE(writer.get());
  CHECK_FALSE(pipe.write("x", 1));
}
