#pragma once
// The Storage API, Manage API and emulator admin routes, one mount function per resource.
// Each Storage API listener serves one region: tokens of other regions get 401 there.
#include <optional>
#include <string>

#include "model/entities.hpp"
#include "services.hpp"

namespace httplib { class Server; }

namespace kbc::emulator {

class Params;

void mount_index_and_jobs(httplib::Server& server, Services& services, const std::string& region);
void mount_tokens(httplib::Server& server, Services& services, const std::string& region);
void mount_buckets(httplib::Server& server, Services& services, const std::string& region);
void mount_tables(httplib::Server& server, Services& services, const std::string& region);
void mount_table_jobs(httplib::Server& server, Services& services, const std::string& region);
void mount_table_columns(httplib::Server& server, Services& services, const std::string& region);
void mount_table_rows(httplib::Server& server, Services& services, const std::string& region);
void mount_branches(httplib::Server& server, Services& services, const std::string& region);
void mount_data_preview(httplib::Server& server, Services& services, const std::string& region);
void mount_files(httplib::Server& server, Services& services, const std::string& region);
void mount_metadata(httplib::Server& server, Services& services, const std::string& region);
void mount_file_list(httplib::Server& server, Services& services, const std::string& region);
void mount_file_tags(httplib::Server& server, Services& services, const std::string& region);
void mount_manage(httplib::Server& server, Services& services, const std::string& region);
void mount_admin(httplib::Server& server, Services& services);

// A new non-master token of `project` from create parameters (description, bucketPermissions,
// canManageBuckets, canReadAllFileUploads, canPurgeTrash, componentAccess, expiresIn).
Token create_token(Services& services, const Project& project, const Params& params,
                   std::optional<std::int64_t> creator_token_id);
// "<projectId>-<tokenId>-<40 random alphanumerics>", the Keboola token string shape.
std::string make_token_string(std::int64_t project_id, std::int64_t token_id);

}  // namespace kbc::emulator
