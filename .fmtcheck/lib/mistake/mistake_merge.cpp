#include "mistake/mistake_merge.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>

#include "mistake/mistake_parts.hpp"
#include "mistake/shape.hpp"
#include "util/command_line.hpp"

namespace pat {
namespace {

using namespace parts;

double jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  const std::size_t all = a.size() + b.size() - common.size();
  return all == 0 ? 1.0 : static_cast<double>(common.size()) / static_cast<double>(all);
}

std::string check_string(const json& check, std::string_view key) { return string_member(check, key).value_or(""); }

// The shape check covering a shape check and some values, when every value fits its class.
std::optional<json> shape_with_values(const json& shape, const std::vector<std::string>& values) {
  const std::string s = check_string(shape, "shape");
  auto lengths = shape_length(shape);
  if (!find_shape(s) || !lengths) return std::nullopt;
  for (const std::string& v : values) {
    if (!shape_fits(v, s)) return std::nullopt;
    lengths->cover(exact_length(v.size()));
  }
  return lengths->bounded() ? shape_check(s, *lengths) : json{{"type", "shape"}, {"shape", s}};
}

// Two identifiers of the same kind (two short SHAs) become that kind; other values stay values.
json merged_values(const json& a, const json& b) {
  std::vector<std::string> texts = value_texts(a);
  const std::vector<std::string> more = value_texts(b);
  texts.insert(texts.end(), more.begin(), more.end());
  if (!texts.empty()) {
    std::string_view shape = value_shape(texts.front());
    LengthRange lengths = exact_length(texts.front().size());
    for (const std::string& t : texts) {
      shape = shape_join(shape, value_shape(t));
      lengths.cover(exact_length(t.size()));
    }
    if (is_identifier_shape(shape)) return shape_check(shape, lengths);
  }
  std::map<std::string, json> by_text;
  for (const json* check : {&a, &b})
    if (const json* values = member(*check, "values"); values != nullptr && values->is_array())
      for (const json& v : *values)
        if (const auto t = scalar_text(&v)) by_text.emplace(*t, v);
  json values = json::array();
  for (auto& [text, v] : by_text)
    if (values.size() < kMaxValues) values.push_back(v);
  return {{"type", "value"}, {"values", values}};
}

std::optional<json> merged_shapes(const json& a, const json& b) {
  const std::string_view shape = shape_join(check_string(a, "shape"), check_string(b, "shape"));
  auto la = shape_length(a);
  const auto lb = shape_length(b);
  if (shape == "text" || !la || !lb) return std::nullopt;
  la->cover(*lb);
  return la->bounded() ? shape_check(shape, *la) : json{{"type", "shape"}, {"shape", shape}};
}

std::optional<json> merged_checks(const ParamCheck& a, const ParamCheck& b) {
  if (a.param != b.param) return std::nullopt;
  if (a.type == "value" && b.type == "value") return merged_values(*a.check, *b.check);
  if (a.type == "shape" && b.type == "shape") return merged_shapes(*a.check, *b.check);
  if (a.type == "shape" && b.type == "value") return shape_with_values(*a.check, value_texts(*b.check));
  if (a.type == "value" && b.type == "shape") return shape_with_values(*b.check, value_texts(*a.check));
  if (a.type == "path" && b.type == "path") {
    const std::string prefix = common_directory(check_string(*a.check, "prefix"), check_string(*b.check, "prefix"));
    if (!is_trivial_prefix(prefix)) return json{{"type", "path"}, {"prefix", prefix}};
  }
  return std::nullopt;
}

double same_type_similarity(const ParamCheck& a, const ParamCheck& b) {
  const json& ca = *a.check;
  const json& cb = *b.check;
  if (a.type == "missing" || ca == cb) return 1.0;
  if (a.type == "value") return 0.8 + 0.2 * jaccard(value_texts(ca), value_texts(cb));
  if (a.type == "shape") {
    if (check_string(ca, "shape") == check_string(cb, "shape")) return 0.9;
    return merged_shapes(ca, cb) ? 0.8 : 0.5;
  }
  if (a.type == "path") return merged_checks(a, b) ? 0.8 : 0.5;
  if (a.type == "program")
    return program_basename(check_string(ca, "program")) == program_basename(check_string(cb, "program")) ? 1.0 : 0.5;
  return 0.5;  // another subcommand or flag, or a check type this version does not know
}

}  // namespace

double mistake_similarity(const json& a, const json& b) {
  try {
    const auto ra = requirement(a);
    const auto rb = requirement(b);
    if (ra && rb) {
      if (ra->tools != rb->tools) return 0.2;
      return ra->same == rb->same ? 1.0 : 0.8;
    }
    const auto ca = param_check(a);
    const auto cb = param_check(b);
    if (!ca || !cb) return 0.0;
    if (ca->param != cb->param) return ca->type == cb->type ? 0.3 : 0.2;
    if (ca->type == cb->type) return same_type_similarity(*ca, *cb);
    return merged_checks(*ca, *cb) ? 0.8 : 0.5;
  } catch (...) {
    return 0.0;
  }
}

json generalise_mistake(const json& a, const json& b) {
  try {
    if (!a.is_object()) return a;
    json out = a;
    const auto ca = param_check(a);
    const auto cb = param_check(b);
    if (ca && cb)
      if (auto merged = merged_checks(*ca, *cb)) out["check"] = std::move(*merged);
    if (member(a, "separation") != nullptr || member(b, "separation") != nullptr) {
      json sep = json::object();
      for (std::string_view key : {"failing", "failing_matched", "successful", "successful_matched"})
        sep[std::string(key)] = separation_count(a, key) + separation_count(b, key);
      out["separation"] = std::move(sep);
    }
    return out;
  } catch (...) {
    return a;
  }
}

}  // namespace pat
