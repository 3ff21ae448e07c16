#pragma once
// The body of CompleteMultipartUpload: <CompleteMultipartUpload><Part><PartNumber>1</PartNumber>
// <ETag>"…"</ETag></Part>…</CompleteMultipartUpload>. The shape is fixed and small, so a
// tag scanner is enough; anything else is MalformedXML.
#include <optional>
#include <string>
#include <vector>

namespace kbc::emulator::s3 {

struct RequestedPart {
  int number = 0;
  std::string etag;  // as sent, entities decoded
};

// nullopt when the document is not a CompleteMultipartUpload with well-formed parts.
std::optional<std::vector<RequestedPart>> parse_complete_request(const std::string& xml);

}  // namespace kbc::emulator::s3
