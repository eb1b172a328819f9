#include "mistake/describe.hpp"

#include "mistake/mistake_parts.hpp"
#include "mistake/shape.hpp"
#include "util/command_line.hpp"

namespace pat {
namespace {

using namespace parts;

// Long values are cut for the description without splitting a UTF-8 character.
std::string code_quoted(std::string_view v) {
  constexpr std::size_t kMaxShown = 60;
  if (v.size() <= kMaxShown) return "`" + std::string(v) + "`";
  std::size_t cut = kMaxShown;
  while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
  return "`" + std::string(v.substr(0, cut)) + "...`";
}

std::string describe_values(const json& check) {
  const std::vector<std::string> texts = value_texts(check);
  if (texts.empty()) return "one of no values";
  if (texts.size() == 1) return code_quoted(texts[0]);
  std::string out = texts.size() == 2 ? "" : "one of ";
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out += texts.size() == 2 ? " or " : ", ";
    out += code_quoted(texts[i]);
  }
  return out;
}

std::string describe_param_check(const ParamCheck& c) {
  const json& check = *c.check;
  const std::string program = "`" + program_basename(check_string(check, "program")) + "`";
  const std::string param = "`" + c.param + "`";
  if (c.type == "missing") return param + " is missing";
  if (c.type == "shape") return param + " is " + describe_shape(check);
  if (c.type == "value") return param + " is " + describe_values(check);
  if (c.type == "path") return param + " starts with " + code_quoted(check_string(check, "prefix"));
  if (c.type == "program") return "the program " + program + " is run";
  if (c.type == "subcommand") return program + " subcommand " + code_quoted(check_string(check, "subcommand"));
  if (c.type == "flag") return "the flag " + code_quoted(check_string(check, "flag")) + " of " + program;
  return param + " fails a `" + c.type + "` check";
}

}  // namespace

std::string describe_mistake(const json& mistake) { return describe_mistake(mistake, ""); }

std::string describe_mistake(const json& mistake, std::string_view tool) {
  try {
    if (const auto req = parts::requirement(mistake)) {
      const std::string what = req->tool_names() + (req->same ? " of the same `" + *req->same + "`" : "") +
                               (req->unless_new_file ? " (an existing file)" : "");
      if (tool.empty()) return "no earlier " + what + " in the session";
      return "`" + std::string(tool) + "` before " + (req->same ? what : "any " + what);
    }
    if (const auto c = parts::param_check(mistake)) return describe_param_check(*c);
  } catch (...) {
  }
  return "an unrecognised mistake";
}

}  // namespace pat
