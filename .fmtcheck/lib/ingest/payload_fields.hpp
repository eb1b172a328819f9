#pragma once
// Reading the fields of an input record (hook payload, generic record, transcript record) into
// an event, for the normalizers of every source: lookups that treat null as absent, times and
// integers in any of the forms sources write them, the fields not modelled kept in `extra`.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "records/event.hpp"
#include "util/json_parse.hpp"

namespace pat::payload {

// j[key], or null when absent or JSON null.
const json* find(const json& j, const char* key);
// A string as it is, anything else as JSON text, "" for none.
std::string string_or_empty(const json* v);
// The first of `keys` that is present: its key and value.
std::pair<const char*, const json*> first_of(const json& j, std::initializer_list<const char*> keys);

// The fields of one small object, looked up many times: a flat list compared by length first
// is several times cheaper than as many std::map lookups (this runs for every generic record).
class FieldIndex {
public:
  explicit FieldIndex(json& obj);
  json* get(std::string_view key) const;
  std::pair<const char*, json*> first_of(std::initializer_list<const char*> keys) const;

private:
  struct Field {
    std::string_view key;
    json* value;
  };
  std::vector<Field> fields_;
};

// An RFC 3339 time from a time string or epoch seconds/milliseconds.
std::optional<std::string> time_of(const json& v);
// An integer, also from a float that holds one.
std::optional<std::int64_t> integer_of(const json& v);

// Moves every field of `record` not named in `used` (null entries are skipped) into e.extra.
void keep_rest(json& record, std::initializer_list<const char*> used, Event& e);

// e.ts from the first of `keys` that holds a time, else `received_at` (then ts_from_input is
// false); e.ts_key names the field used.
void set_time(Event& e, const json& record, std::initializer_list<const char*> keys, const std::string& received_at);
void set_time(Event& e, const FieldIndex& record, std::initializer_list<const char*> keys,
              const std::string& received_at);

// e.error and e.exit_code from a failure text ("Exit code N\n...", <tool_use_error>...).
void set_failure(Event& e, std::string_view text);

}  // namespace pat::payload
