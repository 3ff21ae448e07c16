#pragma once
// One S3 request as the handlers see it: the parsed target (bucket, key, query), the verified
// signer, a way to stream the body, and helpers to answer with S3's XML.
#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "s3/request_auth.hpp"
#include "s3/s3_error.hpp"
#include "s3/upload_receiver.hpp"

namespace kbc::emulator::s3 {

struct StoreState;

class S3Request {
 public:
  S3Request(const httplib::Request& http, httplib::Response& response, const httplib::ContentReader* body);

  const httplib::Request& http;
  httplib::Response& response;
  std::string request_id;
  std::string raw_path;
  std::string raw_query;
  std::string bucket;
  std::string key;
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in wire order
  std::optional<Principal> principal;
  std::optional<std::uint64_t> truncate_after;  // injected fault: cut the body short
  std::optional<std::uint64_t> shrink_to;       // injected fault: the object looks this long
  std::optional<std::uint64_t> corrupt_at;      // injected fault: this byte of the object is served changed

  bool has_param(const std::string& name) const;
  std::string param(const std::string& name, const std::string& fallback = "") const;
  std::string header(const std::string& name) const { return http.get_header_value(name); }

  bool has_body() const;
  // The request body, readable once; reading it marks it consumed.
  BodySource body_source();
  // Reads and discards a body nobody read, so the connection can serve the next request
  // (large ones close the connection instead).
  void finish_body();

  void send_error(const S3Error& error);
  void send_xml(int status, const std::string& xml);

 private:
  const httplib::ContentReader* body_;
  bool body_consumed_ = false;
};

inline constexpr std::string_view s3_xmlns = "http://s3.amazonaws.com/doc/2006-03-01/";
inline constexpr std::string_view xml_declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

}  // namespace kbc::emulator::s3
