// Storage API file tags: POST /v2/storage/files/{id}/tags {"tag"} and
// DELETE /v2/storage/files/{id}/tags/{tag}, both 204 (apiary.apib "Create Tag" / "Manage Tags"),
// as PHP Client::addFileTag / deleteFileTag call them and tests/File/CommonFileTest.php
// testTagging reads them back: a new tag goes last, adding one the file has changes nothing.
#include <httplib.h>

#include <algorithm>

#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "api/lookup.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"

namespace kbc::emulator {

void mount_file_tags(httplib::Server& server, Services& services, const std::string& region) {
  server.Post(R"(/v2/storage/files/(\d+)/tags)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto file = require_file(services, caller, std::stoll(req.matches[1].str()));
    auto tag = Params::from(req).required_string("tag");
    if (std::find(file.tags.begin(), file.tags.end(), tag) == file.tags.end()) {
      file.tags.push_back(tag);
      services.store.update_file(file);
    }
    send_json(res, 204, nullptr);
  }));

  // A tag the file does not have: 204 all the same (the sources show no error for it).
  server.Delete(R"(/v2/storage/files/(\d+)/tags/(.+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto file = require_file(services, caller, std::stoll(req.matches[1].str()));
    auto tag = req.matches[2].str();
    auto kept = std::remove(file.tags.begin(), file.tags.end(), tag);
    if (kept != file.tags.end()) {
      file.tags.erase(kept, file.tags.end());
      services.store.update_file(file);
    }
    send_json(res, 204, nullptr);
  }));
}

}  // namespace kbc::emulator
