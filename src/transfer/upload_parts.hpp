#pragma once
// What the backends' uploads share: the check that a part has the number and length the
// upload announced, and the upload of an object that one request writes whole.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "kbc_storage_extract/transfer/object_store.hpp"

namespace kbc::transfer {

// Part `number` of an object of `size` bytes in parts of `part_size`: numbered 1..count, each
// `part_size` long but the last. Anything else is a caller's bug (ErrorKind::internal).
Status check_part(int number, std::uint64_t length, std::uint64_t part_size, std::uint64_t size, const std::string& what);

// An object written by one request (S3 PUT, GCS media upload, Azure Put Blob). It is visible as
// soon as that request succeeds, so abort() removes it again.
class SingleRequestUpload final : public ObjectUpload {
 public:
  using Write = std::function<Status(std::uint64_t length, const ByteSource& source)>;
  using Remove = std::function<Status()>;
  // `name` ("s3://bucket/key") is for messages.
  SingleRequestUpload(std::string name, std::uint64_t size, Write write, Remove remove);

  std::uint64_t part_size() const override { return size_; }
  int part_count() const override { return 1; }
  Status write_part(int number, std::uint64_t length, const ByteSource& source) override;
  Status commit() override;
  void abort() noexcept override;

 private:
  std::string name_;
  std::uint64_t size_;
  Write write_;
  Remove remove_;
  bool written_ = false;
};

}  // namespace kbc::transfer
