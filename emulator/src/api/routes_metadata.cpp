// Table and column metadata (apiary.apib "Metadata"): provider/key/value items, set (insert or
// update by provider and key), listed and deleted; the table detail shows them as `metadata`
// and `columnMetadata`. PHP and Python send JSON with `columnsMetadata` and read
// {metadata, columnsMetadata}; the deprecated form post answers the table's items as an array.
#include <httplib.h>

#include <algorithm>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "api/lookup.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/serialize.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

struct Target {
  TableMeta table;
  std::string object_type;  // "table" | "column"
  std::string object_id;    // the table id, or "<table id>.<column>"
};

// "in.c-main.orders.id" -> the table and its column; 404 when the table has no such column.
Target require_column(Services& services, const Caller& caller, const std::string& column_id, Access access) {
  auto dot = column_id.rfind('.');
  if (dot == std::string::npos) {
    throw bad_request("Invalid column id \"" + column_id + "\": expected {tableId}.{column}.",
                      "storage.columns.validation.invalidId");
  }
  auto table = require_table(services, caller, column_id.substr(0, dot), access);
  auto column = column_id.substr(dot + 1);
  if (std::find(table.columns.begin(), table.columns.end(), column) == table.columns.end()) {
    throw not_found("Column \"" + column + "\" not found in table " + table.id, "storage.columns.notFound");
  }
  return {table, "column", column_id};
}

void set_items(Services& services, const Caller& caller, const std::string& type, const std::string& object_id,
               const std::string& provider, const json& items) {
  if (!items.is_array() && !items.is_object()) throw bad_request("Metadata must be an array of {key, value}.");
  for (const auto& item : items) {
    if (!item.is_object() || !item.contains("key") || json_scalar_to_string(item["key"]).empty() ||
        !item.contains("value")) {
      throw bad_request("Each metadata item needs \"key\" and \"value\".");
    }
    services.store.set_metadata(MetadataItem{0, caller.project.id, type, object_id, provider,
                                             json_scalar_to_string(item["key"]), json_scalar_to_string(item["value"]),
                                             services.clock.now_seconds()});
  }
}

// columnsMetadata: groups keyed by column name or index ("0", "all"); an item's columnName,
// when given, names its column.
void set_column_items(Services& services, const Caller& caller, const TableMeta& table, const std::string& provider,
                      const json& groups) {
  if (groups.is_null()) return;
  if (!groups.is_object() && !groups.is_array()) throw bad_request("columnsMetadata must be an object of arrays.");
  for (auto group = groups.begin(); group != groups.end(); ++group) {
    if (!group->is_array() && !group->is_object()) throw bad_request("columnsMetadata must be an object of arrays.");
    for (const auto& item : *group) {
      auto column = item.is_object() && item.contains("columnName") ? json_scalar_to_string(item["columnName"])
                                                                    : (groups.is_object() ? group.key() : "");
      auto target = require_column(services, caller, table.id + "." + column, Access::write);
      set_items(services, caller, "column", target.object_id, provider, json::array({item}));
    }
  }
}

bool is_json_request(const httplib::Request& req) {
  return req.get_header_value("Content-Type").find("application/json") != std::string::npos;
}

void delete_item(Services& services, const Caller& caller, const Target& target, std::int64_t id) {
  auto item = services.store.find_metadata(caller.project.id, id);
  if (!item || item->object_type != target.object_type || item->object_id != target.object_id) {
    throw not_found("Metadata with id \"" + std::to_string(id) + "\" not found", "storage.metadata.notFound");
  }
  services.store.delete_metadata(caller.project.id, id);
}

json items_json(Services& services, const Caller& caller, const Target& target) {
  json out = json::array();
  for (const auto& item : services.store.list_metadata(caller.project.id, target.object_type, target.object_id)) {
    out.push_back(metadata_json(item));
  }
  return out;
}

}  // namespace

void mount_metadata(httplib::Server& server, Services& services, const std::string& region) {
  auto table_target = [&services](const Caller& caller, const std::string& id, Access access) {
    auto table = require_table(services, caller, id, access);
    return Target{table, "table", table.id};
  };

  server.Get(R"(/v2/storage/tables/([^/]+)/metadata)", guarded([&services, region, table_target](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    send_json(res, 200, items_json(services, caller, table_target(caller, req.matches[1].str(), Access::read)));
  }));

  server.Post(R"(/v2/storage/tables/([^/]+)/metadata)", guarded([&services, region, table_target](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto target = table_target(caller, req.matches[1].str(), Access::write);
    auto params = Params::from(req);
    auto provider = params.required_string("provider");
    if (!params.has("metadata") && !params.has("columnsMetadata")) {
      throw bad_request("Give \"metadata\" or \"columnsMetadata\".");
    }
    if (params.has("metadata")) set_items(services, caller, "table", target.object_id, provider, params.raw("metadata"));
    set_column_items(services, caller, target.table, provider, params.raw("columnsMetadata"));
    if (!is_json_request(req)) {
      send_json(res, 201, items_json(services, caller, target));
      return;
    }
    send_json(res, 201, {{"metadata", table_metadata_json(services, target.table)},
                         {"columnsMetadata", columns_metadata_json(services, target.table)}});
  }));

  server.Delete(R"(/v2/storage/tables/([^/]+)/metadata/(\d+))", guarded([&services, region, table_target](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    delete_item(services, caller, table_target(caller, req.matches[1].str(), Access::write),
                std::stoll(req.matches[2].str()));
    send_json(res, 204, nullptr);
  }));

  server.Get(R"(/v2/storage/columns/([^/]+)/metadata)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    send_json(res, 200, items_json(services, caller, require_column(services, caller, req.matches[1].str(), Access::read)));
  }));

  // Answers the column's items (apiary "Column Metadata" Create or Update).
  server.Post(R"(/v2/storage/columns/([^/]+)/metadata)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto target = require_column(services, caller, req.matches[1].str(), Access::write);
    auto params = Params::from(req);
    auto provider = params.required_string("provider");
    if (!params.has("metadata")) throw bad_request("Parameter \"metadata\" is required.");
    set_items(services, caller, "column", target.object_id, provider, params.raw("metadata"));
    send_json(res, 201, items_json(services, caller, target));
  }));

  server.Delete(R"(/v2/storage/columns/([^/]+)/metadata/(\d+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    delete_item(services, caller, require_column(services, caller, req.matches[1].str(), Access::write),
                std::stoll(req.matches[2].str()));
    send_json(res, 204, nullptr);
  }));
}

}  // namespace kbc::emulator
