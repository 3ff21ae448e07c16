#pragma once
// Random strings for secrets and ids (token strings, exception ids).
#include <random>
#include <string>

namespace kbc::emulator {

inline std::string random_alnum(std::size_t length) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof(kAlphabet) - 2);
  std::string out(length, ' ');
  for (auto& c : out) c = kAlphabet[pick(engine)];
  return out;
}

inline std::string random_hex(std::size_t length) {
  static constexpr char kAlphabet[] = "0123456789abcdef";
  thread_local std::mt19937_64 engine{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, 15);
  std::string out(length, ' ');
  for (auto& c : out) c = kAlphabet[pick(engine)];
  return out;
}

}  // namespace kbc::emulator
