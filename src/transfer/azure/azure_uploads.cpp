// Uploads into Azure Blob Storage. Blocks are invisible until Put Block List names them, so a
// block upload that is never committed leaves no blob (Azure drops uncommitted blocks itself
// after a week); a Put Blob is visible at once and is deleted on abort.
#include "azure_uploads.hpp"

#include "../upload_parts.hpp"

#include <atomic>
#include <mutex>
#include <vector>

#include <spdlog/spdlog.h>

namespace kbc::transfer::azure {
namespace {

void set_body(http::Request& request, std::uint64_t length, const ByteSource& source) {
  request.headers.emplace_back("Content-Type", "application/octet-stream");
  if (length == 0) return;  // an empty body, not a source that stops at once
  request.upload_length = length;
  request.upload_source = source;
}

class BlockUpload final : public ObjectUpload {
 public:
  BlockUpload(std::shared_ptr<Connection> connection, std::string blob, std::uint64_t size, std::uint64_t part_size)
      : connection_(std::move(connection)), blob_(std::move(blob)), size_(size), part_size_(part_size),
        written_(static_cast<std::size_t>((size + part_size - 1) / part_size), false) {}

  std::uint64_t part_size() const override { return part_size_; }
  int part_count() const override { return static_cast<int>(written_.size()); }

  Status write_part(int number, std::uint64_t length, const ByteSource& source) override {
    const std::string what = "writing part " + std::to_string(number) + " of " + connection_->url_of(blob_);
    if (auto ok = check_part(number, length, part_size_, size_, what); !ok) return ok;
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
  const std::string name = connection->url_of(blob);
  auto write = [connection, blob, name](std::uint64_t length, const ByteSource& source) -> Status {
    auto request = connection->request("PUT", blob);
    request.headers.emplace_back("x-ms-blob-type", "BlockBlob");
    set_body(request, length, source);
    auto response = connection->send(request, "writing " + name);
    if (!response) return response.error();
    return {};
  };
  auto remove = [connection, blob, name]() -> Status {
    auto response = connection->send(connection->request("DELETE", blob), "removing " + name);
    if (!response) return response.error();
    return {};
  };
  return std::make_unique<SingleRequestUpload>(name, size, std::move(write), std::move(remove));
}

std::unique_ptr<ObjectUpload> block_upload(std::shared_ptr<Connection> connection, std::string blob, std::uint64_t size,
                                           std::uint64_t part_size) {
  return std::make_unique<BlockUpload>(std::move(connection), std::move(blob), size, part_size);
}

}  // namespace kbc::transfer::azure
