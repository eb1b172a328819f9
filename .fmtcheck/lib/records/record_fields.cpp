#include "records/record_fields.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace pat::record {
namespace {

[[noreturn]] void bad(std::string_view kind, const char* key, const char* what) {
  throw Error(Exit::data_error, fmt::format("{} record: field \"{}\" {}", kind, key, what));
}

const json* field(const json& j, std::string_view kind, const char* key, bool required) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) bad(kind, key, "is missing");
    return nullptr;
  }
  return &*it;
}

}  // namespace

void expect_kind(const json& j, std::string_view kind) {
  if (!j.is_object()) throw Error(Exit::data_error, fmt::format("{} record is not a JSON object", kind));
  const auto k = j.find("kind");
  if (k == j.end() || !k->is_string() || k->get_ref<const std::string&>() != kind)
    throw Error(Exit::data_error, fmt::format("not {} {} record (\"kind\" is not \"{}\")",
                                              kind.find_first_of("aeiou") == 0 ? "an" : "a", kind, kind));
  const auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer() || v->get<std::int64_t>() != 1)
    throw Error(Exit::data_error, fmt::format("{} record: unsupported version (\"v\" must be 1)", kind));
}

std::string get_string(const json& j, std::string_view kind, const char* key, bool required) {
  const json* v = field(j, kind, key, required);
  if (!v) return {};
  if (!v->is_string()) bad(kind, key, "is not a string");
  return v->get<std::string>();
}

std::optional<std::int64_t> get_int(const json& j, std::string_view kind, const char* key, bool required) {
  const json* v = field(j, kind, key, required);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) bad(kind, key, "is not an integer");
  return v->get<std::int64_t>();
}

std::optional<double> get_number(const json& j, std::string_view kind, const char* key, bool required) {
  const json* v = field(j, kind, key, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) bad(kind, key, "is not a number");
  return v->get<double>();
}

std::vector<std::string> get_strings(const json& j, std::string_view kind, const char* key) {
  std::vector<std::string> out;
  const json* v = field(j, kind, key, false);
  if (!v) return out;
  if (!v->is_array()) bad(kind, key, "is not an array");
  for (const auto& s : *v) {
    if (!s.is_string()) bad(kind, key, "holds something other than strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

json get_object(const json& j, std::string_view kind, const char* key) {
  const json* v = field(j, kind, key, false);
  if (!v) return json::object();
  if (!v->is_object()) throw Error(Exit::data_error, fmt::format("{} record: \"{}\" is not an object", kind, key));
  return *v;
}

json unknown_fields(const json& j, std::span<const std::string_view> known) {
  json out = json::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    bool is_known = k == "kind" || k == "v";
    for (const auto& name : known) is_known = is_known || k == name;
    if (!is_known) out[k] = *it;
  }
  return out;
}

json start(std::string_view kind, const json& unknown) {
  json j = unknown.is_object() ? unknown : json::object();
  j["kind"] = kind;
  j["v"] = 1;
  return j;
}

void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

}  // namespace pat::record
