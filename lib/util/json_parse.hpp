#pragma once
// Parsing one JSON text from untrusted input: limits are checked before the parser runs, invalid
// UTF-8 is repaired (the caller keeps the raw bytes), and every failure comes back as a message.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pat {

using json = nlohmann::json;

struct JsonLimits {
  std::size_t max_depth = 512;                // nesting of objects and arrays
  std::size_t max_line_bytes = 16u << 20;     // one JSONL line or one document element
  std::size_t max_document_bytes = 1u << 30;  // a whole JSON document (array or pretty object)
};

struct ParsedJson {
  bool ok = false;
  bool repaired_utf8 = false;  // invalid UTF-8 was replaced by U+FFFD
  json value;
  std::string error;  // why it failed, without the library's prefix
};

ParsedJson parse_json(std::string_view text, const JsonLimits& limits);

// Replaces \\u escapes of unpaired UTF-16 surrogates by \\ufffd; false if there were none.
bool repair_lone_surrogate_escapes(std::string_view text, std::string& out);

// Serialise for output: never throws on strings (they are valid UTF-8 after parse_json).
std::string dump_json(const json& j);

// A value as text: a string as it is, a number or boolean as JSON writes it; none for null, an
// object or an array. With a key: the object's member of that name (none when absent).
std::optional<std::string> scalar_text(const json& v);
std::optional<std::string> scalar_text(const json& object, const std::string& key);

}  // namespace pat
