#include "s3/s3_error.hpp"

namespace kbc::emulator::s3 {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string error_xml(const S3Error& error, const std::string& request_id) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + xml_escape(error.code) +
                    "</Code><Message>" + xml_escape(error.message) + "</Message>";
  for (const auto& [name, value] : error.details) xml += "<" + name + ">" + xml_escape(value) + "</" + name + ">";
  xml += "<RequestId>" + request_id + "</RequestId><HostId>" + request_id + "</HostId></Error>";
  return xml;
}

namespace errors {
namespace {
S3Error make(int status, std::string code, std::string message) {
  return S3Error{status, std::move(code), std::move(message), {}, 0};
}
}  // namespace

S3Error access_denied(std::string message) { return make(403, "AccessDenied", std::move(message)); }
S3Error no_such_key(const std::string& key) {
  auto e = make(404, "NoSuchKey", "The specified key does not exist.");
  e.details.emplace_back("Key", key);
  return e;
}
S3Error no_such_bucket(const std::string& bucket) {
  auto e = make(404, "NoSuchBucket", "The specified bucket does not exist");
  e.details.emplace_back("BucketName", bucket);
  return e;
}
S3Error no_such_upload(const std::string& upload_id) {
  auto e = make(404, "NoSuchUpload",
                "The specified upload does not exist. The upload ID may be invalid, or the upload may have been "
                "aborted or completed.");
  e.details.emplace_back("UploadId", upload_id);
  return e;
}
S3Error invalid_access_key_id(const std::string& access_key_id) {
  auto e = make(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  e.details.emplace_back("AWSAccessKeyId", access_key_id);
  return e;
}
S3Error signature_does_not_match() {
  return make(403, "SignatureDoesNotMatch",
              "The request signature we calculated does not match the signature you provided. Check your key and "
              "signing method.");
}
S3Error invalid_token() { return make(400, "InvalidToken", "The provided token is malformed or otherwise invalid."); }
S3Error expired_token() { return make(400, "ExpiredToken", "The provided token has expired."); }
S3Error request_time_too_skewed() {
  return make(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
}
S3Error authorization_header_malformed(std::string message) {
  return make(400, "AuthorizationHeaderMalformed", std::move(message));
}
S3Error authorization_query_parameters_error(std::string message) {
  return make(400, "AuthorizationQueryParametersError", std::move(message));
}
S3Error invalid_argument(std::string message) { return make(400, "InvalidArgument", std::move(message)); }
S3Error invalid_request(std::string message) { return make(400, "InvalidRequest", std::move(message)); }
S3Error invalid_range(std::uint64_t size, const std::string& requested) {
  auto e = make(416, "InvalidRange", "The requested range is not satisfiable");
  e.details.emplace_back("RangeRequested", requested);
  e.details.emplace_back("ActualObjectSize", std::to_string(size));
  return e;
}
S3Error invalid_part(std::string message) { return make(400, "InvalidPart", std::move(message)); }
S3Error invalid_part_order() {
  return make(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
}
S3Error entity_too_small() {
  return make(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
}
S3Error malformed_xml() {
  return make(400, "MalformedXML",
              "The XML you provided was not well-formed or did not validate against our published schema");
}
S3Error content_sha256_mismatch(const std::string& client, const std::string& computed) {
  auto e = make(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
  e.details.emplace_back("ClientComputedContentSHA256", client);
  e.details.emplace_back("S3ComputedContentSHA256", computed);
  return e;
}
S3Error bad_digest(std::string message) { return make(400, "BadDigest", std::move(message)); }
S3Error incomplete_body() {
  return make(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
}
S3Error method_not_allowed() {
  return make(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
}
S3Error not_implemented(std::string what) {
  return make(501, "NotImplemented", "A header or query you provided implies functionality that is not implemented: " +
                                         std::move(what));
}
S3Error precondition_failed() {
  return make(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
}
S3Error internal_error(std::string message) { return make(500, "InternalError", std::move(message)); }

S3Error for_status(int status, const std::string& code, const std::string& message, int retry_after_seconds) {
  S3Error e;
  e.status = status;
  e.retry_after_seconds = retry_after_seconds;
  if (!code.empty()) {
    e.code = code;
  } else if (status == 503) {
    e.code = "SlowDown";
  } else if (status == 500) {
    e.code = "InternalError";
  } else if (status == 403) {
    e.code = "AccessDenied";
  } else if (status == 404) {
    e.code = "NoSuchKey";
  } else {
    e.code = "InjectedFault";
  }
  e.message = !message.empty() ? message : status == 503 ? "Please reduce your request rate." : "Injected fault";
  return e;
}
}  // namespace errors

}  // namespace kbc::emulator::s3
