#include "mistake/call_check.hpp"

#include <algorithm>

#include "mistake/mistake_parts.hpp"
#include "mistake/shape.hpp"

namespace pat {
namespace {

using namespace parts;

bool command_check_matches(std::string_view type, const std::string& param, const json& check, const Call& call) {
  const auto program = string_member(check, "program");
  if (!program || program->empty()) return false;
  const std::string name = program_basename(*program);
  const auto detail = type == "program" ? std::optional<std::string>("")
                                        : string_member(check, type == "subcommand" ? "subcommand" : "flag");
  if (!detail) return false;
  for (const SimpleCommand& c : call.commands(param)) {
    if (c.name != name) continue;
    if (type == "program") return true;
    if (type == "subcommand" && c.subcommand == *detail) return true;
    if (type == "flag" && std::find(c.flags.begin(), c.flags.end(), *detail) != c.flags.end()) return true;
  }
  return false;
}

bool shape_check_matches(const json& check, const json* value) {
  const auto text = scalar_text(value);
  const auto shape = string_member(check, "shape");
  if (!text || !shape || !shape_fits(*text, *shape)) return false;
  const auto length = shape_length(check);
  return length && length->contains(text->size());
}

bool value_check_matches(const json& check, const json* value) {
  const json* values = member(check, "values");
  const auto text = scalar_text(value);
  if (values == nullptr || !values->is_array() || !text) return false;
  return std::any_of(values->begin(), values->end(), [&](const json& v) { return scalar_text(&v) == text; });
}

bool path_check_matches(const json& check, const json* value) {
  const auto prefix = string_member(check, "prefix");
  return prefix && !prefix->empty() && value != nullptr && value->is_string() &&
         value->get_ref<const std::string&>().starts_with(*prefix);
}

}  // namespace

const std::vector<SimpleCommand>& Call::commands(const std::string& param) const {
  if (!commands_) {
    const json* c = member(input_, param);
    commands_.emplace(c != nullptr && c->is_string() ? split_command_line(c->get_ref<const std::string&>())
                                                     : std::vector<SimpleCommand>{});
  }
  return *commands_;
}

bool matches(const json& mistake, const Call& call) {
  using namespace parts;
  const auto param = string_member(mistake, "param");
  const json* check = member(mistake, "check");
  if (!param || check == nullptr || !call.input().is_object()) return false;
  const auto type = string_member(*check, "type");
  if (!type) return false;
  const json* value = member(call.input(), *param);
  if (*type == "missing") return is_missing(value);
  if (*type == "shape") return shape_check_matches(*check, value);
  if (*type == "value") return value_check_matches(*check, value);
  if (*type == "path") return path_check_matches(*check, value);
  if (is_command_check(*type)) return command_check_matches(*type, *param, *check, call);
  return false;
}

bool check_matches(const json& mistake, const json& input) { return CallChecker(input).matches(mistake); }

struct CallChecker::Impl {
  explicit Impl(const json& input) : call(input) {}
  Call call;
};

CallChecker::CallChecker(const json& input) : impl_(std::make_unique<Impl>(input)) {}
CallChecker::~CallChecker() = default;

bool CallChecker::matches(const json& mistake) const {
  try {
    return pat::matches(mistake, impl_->call);
  } catch (...) {
    return false;  // a check that cannot be evaluated must not block a call
  }
}

bool requirement_missing(
    const json& mistake, const json& input,
    const std::function<bool(std::string_view tool, std::string_view param, std::string_view value)>& seen,
    const std::function<bool(std::string_view path)>& exists) {
  try {
    const auto req = parts::requirement(mistake);
    if (!req || !seen) return false;
    if (!req->same || req->same->empty())
      return std::none_of(req->tools.begin(), req->tools.end(), [&](const std::string& t) { return seen(t, "", ""); });
    const auto value = parts::scalar_text(parts::member(input, *req->same));
    if (!value || value->empty()) return false;  // nothing to compare with: fail open
    if (req->unless_new_file && exists && !exists(*value)) return false;
    return std::none_of(req->tools.begin(), req->tools.end(),
                        [&](const std::string& t) { return seen(t, *req->same, *value); });
  } catch (...) {
    return false;
  }
}

}  // namespace pat
