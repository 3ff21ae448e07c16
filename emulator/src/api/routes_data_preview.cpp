// GET /v2/storage/tables/{id}/data-preview: up to 1000 rows as RFC CSV with a header row, or
// JSON with format=json (apiary.apib "Data Preview"; PHP tests DataPreviewLimitsTest,
// DataPreviewFilterTest). The filters are export-async's (api/export_params).
#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/export_params.hpp"
#include "api/http_util.hpp"
#include "api/lookup.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "data/csv.hpp"
#include "db/sqlite.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

constexpr std::int64_t kDefaultPreviewRows = 100;
constexpr std::int64_t kMaxPreviewRows = 1000;
// format=json truncates longer values and flags them isTruncated (apiary: ">16k chars").
constexpr std::size_t kJsonValueLimit = 16384;

}  // namespace

void mount_data_preview(httplib::Server& server, Services& services, const std::string& region) {
  server.Get(R"(/v2/storage/tables/([^/]+)/data-preview/?)", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto table = require_table(services, caller, req.matches[1].str(), Access::read);
    auto params = Params::from(req);
    auto query = export_query(params, services.clock.now_seconds());
    if (!query.limit) query.limit = kDefaultPreviewRows;
    if (*query.limit > kMaxPreviewRows) {
      throw bad_request("Maximum allowed limit is " + std::to_string(kMaxPreviewRows) + ".", "storage.tables.validation");
    }
    auto format = params.string("format").value_or("rfc");
    if (format != "rfc" && format != "json") {
      throw bad_request("Invalid format \"" + format + "\": use rfc or json.", "storage.tables.validation");
    }
    const auto& columns = query.columns.empty() ? table.columns : query.columns;
    std::string csv;
    json rows = json::array();
    auto& connection = services.rows.connection();
    db::Transaction snapshot(connection, false);
    if (format == "rfc") {
      std::vector<std::string_view> header(columns.begin(), columns.end());
      data::append_csv_row(csv, header);
    }
    data::export_rows(connection, table, query, [&](const std::vector<std::string_view>& values) {
      if (format == "rfc") {
        data::append_csv_row(csv, values);
        return;
      }
      json row = json::array();
      for (std::size_t i = 0; i < values.size(); ++i) {
        bool truncated = values[i].size() > kJsonValueLimit;
        row.push_back({{"columnName", columns[i]},
                       {"value", std::string(values[i].substr(0, kJsonValueLimit))},
                       {"isTruncated", truncated}});
      }
      rows.push_back(std::move(row));
    });
    if (format == "json") {
      send_json(res, 200, {{"columns", columns}, {"rows", rows}});
      return;
    }
    res.status = 200;
    res.set_content(csv, "text/csv; charset=utf-8");
  }));
}

}  // namespace kbc::emulator
