#include "logging/redacting_sink.hpp"

#include <string>

#include "kbc_storage_extract/redact.hpp"

namespace kbc::logging {

void RedactingSink::log(const spdlog::details::log_msg& msg) {
  const std::string masked = kbc::redact(std::string_view(msg.payload.data(), msg.payload.size()));
  spdlog::details::log_msg copy = msg;
  copy.payload = spdlog::string_view_t(masked.data(), masked.size());
  inner_->log(copy);
}

}  // namespace kbc::logging
