#pragma once
// A backend's temporary credentials that can be renewed while a copy runs: every request takes
// a snapshot (credentials + generation); a request that met expired credentials asks for a
// renewal naming the generation it used, so many threads hitting the expiry at once cause one
// call to the Storage API, not one each. Shared by every backend whose access has an
// `expiration` (S3, GCS).
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <spdlog/spdlog.h>

#include "kbc_storage_extract/http/client.hpp"
#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::transfer {

// A streamed part refused for expired credentials, after they were renewed: its body cannot be
// sent again from where it failed, so it fails as transient and copy_object's part retry does.
inline Error part_to_send_again(Error error) {
  error.kind = ErrorKind::transient;
  error.message += " (the credentials were renewed; the part is sent again)";
  return error;
}

template <class Access>
class RenewableAccess {
 public:
  // Renew ahead of time when less than this is left: a part started now must still be
  // signed with valid credentials when its last byte goes out.
  static constexpr std::chrono::minutes k_renew_ahead{5};

  RenewableAccess(Access access, RefreshAccess refresh) : access_(std::move(access)), refresh_(std::move(refresh)) {}

  struct Snapshot {
    Access access;
    std::uint64_t generation = 0;
  };

  // The current credentials; renewed first when they are about to expire (and renewable).
  Snapshot snapshot() {
    std::unique_lock lock(mutex_);
    // Once per generation at most: renewed credentials that are themselves about to expire
    // (a skewed clock) must not turn every request into a Storage API call.
    if (refresh_ && expiring(access_) && ahead_tried_ != generation_) {
      ahead_tried_ = generation_;
      lock.unlock();
      if (auto renewed = renew(generation_of_now()); !renewed)
        spdlog::warn("renewing file storage credentials ahead of their expiry failed: {}", renewed.error().describe());
      lock.lock();
    }
    return {access_, generation_};
  }

  bool renewable() const { return static_cast<bool>(refresh_); }

  // After credentials of generation `seen` were refused as expired: renew them unless another
  // thread already did. Fails when no refresh is possible or the Storage API refused it.
  Status renew(std::uint64_t seen) {
    if (!refresh_) return make_error(ErrorKind::credentials_expired, "the credentials cannot be renewed");
    std::lock_guard renewing(renew_mutex_);  // one renewal at a time; the others wait for it
    {
      std::lock_guard lock(mutex_);
      if (generation_ != seen) return {};  // someone else renewed them meanwhile
      if (failed_generation_ == seen) return *failure_;
    }
    auto fresh = refresh_();
    std::lock_guard lock(mutex_);
    if (!fresh) {
      failed_generation_ = seen;
      failure_ = fresh.error();
      return fresh.error();
    }
    const auto* access = std::get_if<Access>(&*fresh);
    if (!access) {
      failed_generation_ = seen;
      failure_ = make_error(ErrorKind::protocol, "the renewed credentials are for another file storage provider");
      return *failure_;
    }
    access_ = *access;
    ++generation_;
    spdlog::info("file storage credentials renewed ({})", format_expiration(access_.expiration));
    return {};
  }

 private:
  static bool expiring(const Access& access) {
    return access.expiration != std::chrono::system_clock::time_point{} &&
           access.expiration - std::chrono::system_clock::now() < k_renew_ahead;
  }

  std::uint64_t generation_of_now() {
    std::lock_guard lock(mutex_);
    return generation_;
  }

  static std::string format_expiration(std::chrono::system_clock::time_point at) {
    if (at == std::chrono::system_clock::time_point{}) return "no expiry given";
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(at - std::chrono::system_clock::now()).count();
    return "valid for " + std::to_string(minutes) + " more minutes";
  }

  std::mutex mutex_;
  std::mutex renew_mutex_;
  Access access_;
  RefreshAccess refresh_;
  std::uint64_t generation_ = 0;
  std::optional<std::uint64_t> failed_generation_;
  std::optional<std::uint64_t> ahead_tried_;  // the generation last renewed ahead of its expiry
  std::optional<Error> failure_;
};

// Send with the credentials in use; when the answer says they expired, renew them once and
// send again (a request whose body is in memory) or fail as transient (a streamed part).
// `attempt(access)` sends once and returns the answer, or the backend's Error for it.
template <class Access, class Attempt>
Result<http::Response> send_renewing(RenewableAccess<Access>& credentials, bool streamed, Attempt&& attempt) {
  for (bool renewed = false;; renewed = true) {
    const auto snapshot = credentials.snapshot();
    Result<http::Response> result = attempt(snapshot.access);
    if (result || result.error().kind != ErrorKind::credentials_expired || renewed || !credentials.renewable()) return result;
    Error error = std::move(result.error());
    if (auto fresh = credentials.renew(snapshot.generation); !fresh) {
      error.hint += "; asking the Storage API for fresh ones failed: " + fresh.error().describe();
      return error;
    }
    if (streamed) return part_to_send_again(std::move(error));
  }
}

}  // namespace kbc::transfer
