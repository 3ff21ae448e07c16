// Uploads into Azure Blob Storage. Blocks are invisible until Put Block List names them, so a
// block upload that is never committed leaves no blob (Azure drops uncommitted blocks itself
// after a week); a Put Blob is visible at once and is deleted on abort.
#include "azure_uploads.hpp"

#include <atomic>
#include <mutex>
#include <vector>

#include <spdlog/spdlog.h>

namespace kbc::transfer::azure {
namespace {

Status check_part_arguments(int number, int count, std::uint64_t length, std::uint64_t expected, const std::string& what) {
  if (number < 1 || number > count)
    return make_error(ErrorKind::internal, what + ": part " + std::to_string(number) + " is outside 1.." + std::to_string(count));
  if (length != expected)
    return make_error(ErrorKind::internal, what + ": part " + std::to_string(number) + " must be " + std::to_string(expected) +
                                               " bytes, not " + std::to_string(length));
  return {};
}

void set_body(http::Request& request, std::uint64_t length, const ByteSource& source) {
  request.headers.emplace_back("Content-Type", "application/octet-stream");
  if (length == 0) return;  // an empty body, not a source that stops at once
  request.upload_length = length;
  request.upload_source = source;
}

class PutBlobUpload final : public ObjectUpload {
 public:
  PutBlobUpload(std::shared_ptr<Connection> connection, std::string blob, std::uint64_t size)
      : connection_(std::move(connection)), blob_(std::move(blob)), size_(size) {}

  std::uint64_t part_size() const override { return size_; }
  int part_count() const override { return 1; }

  Status write_part(int number, std::uint64_t length, const ByteSource& source) override {
    const std::string what = "writing " + connection_->url_of(blob_);
    if (auto ok = check_part_arguments(number, 1, length, size_, what); !ok) return ok;
    auto request = connection_->request("PUT", blob_);
    request.headers.emplace_back("x-ms-blob-type", "BlockBlob");
    set_body(request, length, source);
    auto response = connection_->send(request, what);
    if (!response) return response.error();
    written_ = true;
    return {};
  }

  Status commit() override {
    if (!written_) return make_error(ErrorKind::internal, "committing " + connection_->url_of(blob_) + " before its bytes were written");
    return {};
  }

  void abort() noexcept override {
    if (!written_) return;
    try {
      auto response = connection_->send(connection_->request("DELETE", blob_), "removing " + connection_->url_of(blob_));
      if (!response && response.error().kind != ErrorKind::not_found) spdlog::warn("{}", response.error().describe());
    } catch (...) {
    }
  }

 private:
  std::shared_ptr<Connection> connection_;
  std::string blob_;
  std::uint64_t size_;
  bool written_ = false;
};

class BlockUpload final : public ObjectUpload {
 public:
  BlockUpload(std::shared_ptr<Connection> connection, std::string blob, std::uint64_t size, std::uint64_t part_size)
      : connection_(std::move(connection)), blob_(std::move(blob)), size_(size), part_size_(part_size),
        written_(static_cast<std::size_t>((size + part_size - 1) / part_size), false) {}

  std::uint64_t part_size() const override { return part_size_; }
  int part_count() const override { return static_cast<int>(written_.size()); }

  Status write_part(int number, std::uint64_t length, const ByteSource& source) override {
    const std::string what = "writing part " + std::to_string(number) + " of " + connection_->url_of(blob_);
    const std::uint64_t offset = static_cast<std::uint64_t>(number - 1) * part_size_;
    const std::uint64_t expected = number >= 1 && number <= part_count() ? std::min(part_size_, size_ - offset) : 0;
    if (auto ok = check_part_arguments(number, part_count(), length, expected, what); !ok) return ok;
    // Writing a block id again replaces the block: a retried part needs nothing else.
    auto request = connection_->request("PUT", blob_, "comp=block&blockid=" + encoded_block_id(number));
    set_body(request, length, source);
    auto response = connection_->send(request, what);
    if (!response) return response.error();
    std::lock_guard lock(mutex_);
    written_[static_cast<std::size_t>(number - 1)] = true;
    return {};
  }

  Status commit() override {
    const std::string what = "committing the blocks of " + connection_->url_of(blob_);
    std::string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
    {
      std::lock_guard lock(mutex_);
      for (std::size_t i = 0; i < written_.size(); ++i) {
        if (!written_[i]) return make_error(ErrorKind::internal, what + ": part " + std::to_string(i + 1) + " was never written");
        body += "<Latest>" + block_id(static_cast<int>(i + 1)) + "</Latest>";
      }
    }
    body += "</BlockList>";
    auto request = connection_->request("PUT", blob_, "comp=blocklist");
    request.headers.emplace_back("Content-Type", "application/xml");
    request.body = std::move(body);
    auto response = connection_->send_retried(request, what);
    if (!response) return response.error();
    return {};
  }

  // Nothing to remove: uncommitted blocks are not a blob.
  void abort() noexcept override {}

 private:
  static std::string encoded_block_id(int number) {
    std::string out;
    for (char c : block_id(number)) {
      if (c == '+') out += "%2B";
      else if (c == '/') out += "%2F";
      else if (c == '=') out += "%3D";
      else out += c;
    }
    return out;
  }

  std::shared_ptr<Connection> connection_;
  std::string blob_;
  std::uint64_t size_;
  std::uint64_t part_size_;
  std::mutex mutex_;
  std::vector<bool> written_;
};

}  // namespace

std::unique_ptr<ObjectUpload> put_blob_upload(std::shared_ptr<Connection> connection, std::string blob, std::uint64_t size) {
  return std::make_unique<PutBlobUpload>(std::move(connection), std::move(blob), size);
}

std::unique_ptr<ObjectUpload> block_upload(std::shared_ptr<Connection> connection, std::string blob, std::uint64_t size,
                                           std::uint64_t part_size) {
  return std::make_unique<BlockUpload>(std::move(connection), std::move(blob), size, part_size);
}

}  // namespace kbc::transfer::azure
