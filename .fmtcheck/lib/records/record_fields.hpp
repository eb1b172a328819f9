#pragma once
// Reading and writing the fields of JSONL records (man 5 pattools-records): type-checked reads
// that name the record kind and field in their errors, and the rule that fields a reader does not
// know are carried through unchanged.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/json_parse.hpp"

namespace pat::record {

// Throws pat::Error(data_error) unless `j` is an object with "kind": kind and "v": 1.
void expect_kind(const json& j, std::string_view kind);

std::string get_string(const json& j, std::string_view kind, const char* key, bool required = false);
std::optional<std::int64_t> get_int(const json& j, std::string_view kind, const char* key, bool required = false);
std::optional<double> get_number(const json& j, std::string_view kind, const char* key, bool required = false);
std::vector<std::string> get_strings(const json& j, std::string_view kind, const char* key);
// An object field; an empty object when absent.
json get_object(const json& j, std::string_view kind, const char* key);

// The top-level fields of `j` not named in `known` (kind and v are always known).
json unknown_fields(const json& j, std::span<const std::string_view> known);
inline json unknown_fields(const json& j, std::initializer_list<std::string_view> known) {
  return unknown_fields(j, std::span<const std::string_view>(known.begin(), known.size()));
}

// A new record object {"kind": kind, "v": 1, ...unknown}.
json start(std::string_view kind, const json& unknown);

// Sets j[key] = v unless v is empty.
void put(json& j, const char* key, const std::string& v);

}  // namespace pat::record
