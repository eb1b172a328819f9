#include "mistake/mistake_parts.hpp"

#include <algorithm>
#include <limits>

namespace pat::parts {

const json* member(const json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::optional<std::string> string_member(const json& j, std::string_view key) {
  const json* m = member(j, key);
  if (m == nullptr || !m->is_string()) return std::nullopt;
  return m->get<std::string>();
}

// A count or length: a non-negative integer.
std::optional<std::uint64_t> count_member(const json& j, std::string_view key) {
  const json* m = member(j, key);
  if (m == nullptr) return std::nullopt;
  if (m->is_number_unsigned()) return m->get<std::uint64_t>();
  if (m->is_number_integer() && m->get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(m->get<std::int64_t>());
  return std::nullopt;
}

// A parameter value as text: strings as they are, numbers and booleans as written in JSON.
// Objects, arrays and null have no text here (checks skip them).
std::optional<std::string> scalar_text(const json* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number() || v->is_boolean()) return v->dump();
  return std::nullopt;
}

bool is_missing(const json* v) {
  return v == nullptr || v->is_null() || (v->is_string() && v->get_ref<const std::string&>().empty());
}

std::string check_string(const json& check, std::string_view key) { return string_member(check, key).value_or(""); }

bool is_command_check(std::string_view type) { return type == "program" || type == "subcommand" || type == "flag"; }

std::optional<ParamCheck> param_check(const json& mistake) {
  auto param = string_member(mistake, "param");
  const json* check = member(mistake, "check");
  if (!param || check == nullptr) return std::nullopt;
  auto type = string_member(*check, "type");
  if (!type) return std::nullopt;
  return ParamCheck{std::move(*param), std::move(*type), check};
}

std::string Requirement::tool_names() const {
  std::string out;
  for (std::size_t i = 0; i < tools.size(); ++i)
    out += (i == 0 ? "`" : i + 1 == tools.size() ? " or `" : ", `") + tools[i] + "`";
  return out;
}

std::optional<Requirement> requirement(const json& mistake) {
  const json* req = member(mistake, "requires");
  if (req == nullptr) return std::nullopt;
  Requirement r;
  if (auto tool = string_member(*req, "tool"); tool && !tool->empty()) r.tools.push_back(std::move(*tool));
  if (const json* list = member(*req, "tool"); list != nullptr && list->is_array())
    for (const json& t : *list)
      if (t.is_string() && !t.get_ref<const std::string&>().empty()) r.tools.push_back(t.get<std::string>());
  if (r.tools.empty()) return std::nullopt;
  std::sort(r.tools.begin(), r.tools.end());
  r.same = string_member(*req, "same");
  r.unless_new_file = string_member(*req, "unless").value_or("") == "new_file";
  return r;
}

std::vector<std::string> value_texts(const json& check) {
  std::vector<std::string> texts;
  if (const json* values = member(check, "values"); values != nullptr && values->is_array())
    for (const json& v : *values)
      if (auto t = scalar_text(&v)) texts.push_back(std::move(*t));
  std::sort(texts.begin(), texts.end());
  texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
  return texts;
}

std::int64_t separation_count(const json& mistake, std::string_view key) {
  const json* sep = member(mistake, "separation");
  if (sep == nullptr) return 0;
  const auto n = count_member(*sep, key);
  return n ? static_cast<std::int64_t>(std::min<std::uint64_t>(*n, std::numeric_limits<std::int64_t>::max() / 2)) : 0;
}

}  // namespace pat::parts
