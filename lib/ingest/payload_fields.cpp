#include "ingest/payload_fields.hpp"

#include <cmath>

#include "ingest/failure_text.hpp"
#include "util/time_format.hpp"

namespace pat::payload {
namespace {

template <typename Lookup>
void set_time_from(Event& e, const Lookup& lookup, std::initializer_list<const char*> keys,
                   const std::string& received_at) {
  for (const char* k : keys) {
    if (const json* v = lookup(k)) {
      if (auto t = time_of(*v)) {
        e.ts = *t;
        e.ts_from_input = true;
        e.ts_key = k;
        return;
      }
    }
  }
  e.ts = received_at;
  e.ts_from_input = false;
}

}  // namespace

const json* find(const json& j, const char* key) {
  const auto it = j.find(key);
  return (it == j.end() || it->is_null()) ? nullptr : &*it;
}

std::string string_or_empty(const json* v) {
  if (!v) return {};
  if (v->is_string()) return v->get<std::string>();
  return dump_json(*v);
}

// The first of `keys` that is present: its key and value.
std::pair<const char*, const json*> first_of(const json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (const json* v = find(j, k)) return {k, v};
  return {nullptr, nullptr};
}

FieldIndex::FieldIndex(json& obj) {
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (!it->is_null()) fields_.push_back({it.key(), &*it});
}

json* FieldIndex::get(std::string_view key) const {
  for (const auto& f : fields_)
    if (f.key.size() == key.size() && f.key == key) return f.value;
  return nullptr;
}

std::pair<const char*, json*> FieldIndex::first_of(std::initializer_list<const char*> keys) const {
  for (const char* k : keys)
    if (json* v = get(k)) return {k, v};
  return {nullptr, nullptr};
}

std::optional<std::string> time_of(const json& v) {
  if (v.is_string()) return normalize_time(v.get_ref<const std::string&>());
  if (v.is_number()) {
    if (auto t = parse_epoch(v.get<double>())) return format_rfc3339(*t);
  }
  return std::nullopt;
}

std::optional<std::int64_t> integer_of(const json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (std::isfinite(d) && std::fabs(d) < 9e15) return static_cast<std::int64_t>(std::llround(d));
  }
  return std::nullopt;
}

// Moves every field of `record` not named in `used` into e.extra.
void keep_rest(json& record, std::initializer_list<const char*> used, Event& e) {
  for (auto it = record.begin(); it != record.end(); ++it) {
    bool is_used = false;
    for (const char* m : used) is_used = is_used || (m && it.key() == m);
    if (!is_used) e.extra[it.key()] = std::move(it.value());
  }
}

void set_failure(Event& e, std::string_view text) {
  FailureText f = unwrap_failure_text(text);
  e.error = std::move(f.error);
  if (f.exit_code) e.exit_code = f.exit_code;
}

void set_time(Event& e, const json& record, std::initializer_list<const char*> keys, const std::string& received_at) {
  set_time_from(
      e, [&](const char* k) { return find(record, k); }, keys, received_at);
}

void set_time(Event& e, const FieldIndex& record, std::initializer_list<const char*> keys,
              const std::string& received_at) {
  set_time_from(
      e, [&](const char* k) -> const json* { return record.get(k); }, keys, received_at);
}

}  // namespace pat::payload
