#include "api/export_params.hpp"

#include "api/api_error.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

namespace {

std::optional<std::int64_t> time_param(const Params& params, const std::string& name, std::int64_t now) {
  auto text = params.string(name);
  if (!text || text->empty()) return std::nullopt;
  auto value = parse_time_expression(*text, now);
  if (!value) {
    throw bad_request("Invalid " + name + " \"" + *text +
                          "\": use a unix timestamp, an ISO 8601 datetime or a relative time such as \"-2 days\".",
                      "storage.tables.validation.invalidChangedSince");
  }
  return value;
}

}  // namespace

data::ExportQuery export_query(const Params& params, std::int64_t now) {
  data::ExportQuery query;
  query.columns = params.list("columns", true);
  query.changed_since = time_param(params, "changedSince", now);
  query.changed_until = time_param(params, "changedUntil", now);
  if (auto limit = params.integer("limit")) {
    if (*limit < 0) throw bad_request("Parameter \"limit\" must not be negative.");
    query.limit = *limit;
  }
  if (auto column = params.string("whereColumn"); column && !column->empty()) {
    data::WhereFilter filter;
    filter.column = *column;
    filter.op = params.string("whereOperator").value_or("eq");
    if (filter.op.empty()) filter.op = "eq";
    if (filter.op != "eq" && filter.op != "ne") {
      throw bad_request("Invalid whereOperator \"" + filter.op + "\": use eq or ne.",
                        "storage.tables.validation.invalidWhereOperator");
    }
    filter.values = params.list("whereValues");
    query.filters.push_back(filter);
  }
  const auto& filters = params.raw("whereFilters");
  if (!filters.is_null()) {
    if (!filters.is_array()) throw bad_request("Parameter \"whereFilters\" must be an array.");
    for (const auto& item : filters) {
      if (!item.is_object() || !item.contains("column")) {
        throw bad_request("Each whereFilters item needs \"column\", \"operator\" and \"values\".");
      }
      data::WhereFilter filter;
      filter.column = json_scalar_to_string(item["column"]);
      filter.op = item.contains("operator") ? json_scalar_to_string(item["operator"]) : "eq";
      if (item.contains("values")) {
        const auto& values = item["values"];
        if (values.is_array() || values.is_object()) {
          for (const auto& v : values) filter.values.push_back(json_scalar_to_string(v));
        } else {
          filter.values.push_back(json_scalar_to_string(values));
        }
      }
      if (item.contains("dataType")) filter.data_type = json_scalar_to_string(item["dataType"]);
      query.filters.push_back(filter);
    }
  }
  return query;
}

}  // namespace kbc::emulator
