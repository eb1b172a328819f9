#include "detect/explain.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "mistake/describe.hpp"
#include "mistake/shape.hpp"
#include "util/command_line.hpp"

namespace pat {
namespace {

std::string string_field(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The value of input[param] as text (numbers and booleans as JSON), "" when absent.
std::string param_text(const json& input, const std::string& param) {
  if (!input.is_object()) return {};
  const auto it = input.find(param);
  if (it == input.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::vector<std::string> required_tools(const json& requirement) {
  std::vector<std::string> tools;
  const auto it = requirement.find("tool");
  if (it == requirement.end()) return tools;
  if (it->is_string()) tools.push_back(it->get<std::string>());
  if (it->is_array())
    for (const auto& t : *it)
      if (t.is_string()) tools.push_back(t.get<std::string>());
  return tools;
}

std::string tools_phrase(const std::vector<std::string>& tools) {
  std::string out;
  for (std::size_t i = 0; i < tools.size(); ++i) {
    if (i) out += i + 1 == tools.size() ? " or " : ", ";
    out += fmt::format("`{}`", tools[i]);
  }
  return out;
}

std::string_view category_lead(Category c) {
  switch (c) {
    case Category::parameter_format: return "A value in the wrong format";
    case Category::incorrect_parameter: return "A wrong parameter";
    case Category::workflow_sequence: return "A step taken out of order";
    case Category::missing_prerequisite: return "A prerequisite is missing";
  }
  return "A mistake";
}

// The names (programs, subcommands as "program sub", or flags) that one command line uses.
std::set<std::string> command_parts(const std::string& command, const std::string& kind, const std::string& program) {
  std::set<std::string> out;
  for (const auto& c : split_command_line(command)) {
    if (kind == "program") out.insert(c.name);
    if (kind == "subcommand" && c.name == program && !c.subcommand.empty()) out.insert(c.name + " " + c.subcommand);
    if (kind == "flag" && c.name == program) out.insert(c.flags.begin(), c.flags.end());
  }
  return out;
}

// "run `make` instead of `just`" from the parts the failing command used and the recovery did not.
std::string command_fix(const json& check, const json& failing_input, const json& recovery_input) {
  const std::string type = string_field(check, "type");
  const std::string program = string_field(check, "program");
  const auto before = command_parts(param_text(failing_input, "command"), type, program);
  const auto after = command_parts(param_text(recovery_input, "command"), type, program);
  std::vector<std::string> removed, added;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(removed));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
  if (removed.empty()) return {};
  const std::string verb = type == "flag" ? "pass" : "run";
  if (added.empty()) return fmt::format("do not {} `{}`", verb, removed.front());
  return fmt::format("{} `{}` instead of `{}`", verb, added.front(), removed.front());
}

std::string value_fix(const std::string& param, const json& check, const json& recovery_input) {
  const std::string type = string_field(check, "type");
  const std::string after = param_text(recovery_input, param);
  if (after.empty()) return type == "missing" ? std::string() : fmt::format("leave `{}` out", param);
  if (type == "missing") return fmt::format("pass `{}`", param);
  if (type == "path") {
    const auto slash = after.find_last_of("/\\");
    return slash == std::string::npos ? fmt::format("use a `{}` in the working directory", param)
                                      : fmt::format("use a `{}` under `{}`", param, after.substr(0, slash + 1));
  }
  const std::string shape(value_shape(after));
  if (type == "shape" || (shape != "text" && shape != "word"))
    return fmt::format("pass `{}` as {}", param, shape_phrase(shape, after.size(), after.size()));
  return fmt::format("pass `{}` = `{}`", param, after);
}

}  // namespace

std::string shape_phrase(const std::string& shape, std::size_t min_length, std::size_t max_length) {
  static const std::vector<std::pair<std::string, std::string>> kNouns = {{"hex", "hex characters"},
                                                                          {"digits", "digits"},
                                                                          {"alpha", "letters"},
                                                                          {"alnum", "letters and digits"},
                                                                          {"word", "word characters"}};
  for (const auto& [name, noun] : kNouns) {
    if (shape != name) continue;
    if (min_length == max_length) return fmt::format("{} {}", min_length, noun);
    return fmt::format("{} to {} {}", min_length, max_length, noun);
  }
  if (shape == "path" || shape == "url" || shape == "uuid")
    return fmt::format("a {}", shape == "uuid" ? "UUID" : shape == "url" ? "URL" : "path");
  if (min_length == max_length) return fmt::format("{} characters of text", min_length);
  return fmt::format("{} to {} characters of text", min_length, max_length);
}

std::string root_cause_text(const std::string& tool, Category category, const json& mistake,
                            const std::string& template_text) {
  std::string text = fmt::format("{}: {}", category_lead(category), describe_mistake(mistake));
  if (const std::string usual = string_field(mistake, "usual"); !usual.empty())
    text += fmt::format(" (successful calls pass {})", usual);
  text += fmt::format(". `{}` then fails", tool);
  if (!template_text.empty()) text += fmt::format(" with \"{}\"", template_text);
  return text + ".";
}

std::string describe_fix(const std::string& tool, const json& mistake, const json& failing_input,
                         const json& recovery_input, const std::vector<std::pair<std::string, json>>& between) {
  if (const auto req = mistake.find("requires"); req != mistake.end() && req->is_object()) {
    const auto tools = required_tools(*req);
    const std::string same = string_field(*req, "same");
    const std::string value = same.empty() ? std::string() : param_text(failing_input, same);
    for (const auto& [t, input] : between) {
      if (std::find(tools.begin(), tools.end(), t) == tools.end()) continue;
      if (!same.empty() && param_text(input, same) != value) continue;
      return same.empty() ? fmt::format("run `{}` before `{}`", t, tool)
                          : fmt::format("run `{}` on the same `{}` before `{}`", t, same, tool);
    }
    return {};
  }
  const auto check = mistake.find("check");
  if (check == mistake.end() || !check->is_object()) return {};
  const std::string type = string_field(*check, "type");
  if (type == "program" || type == "subcommand" || type == "flag")
    return command_fix(*check, failing_input, recovery_input);
  const std::string param = string_field(mistake, "param");
  if (param.empty() || param_text(failing_input, param) == param_text(recovery_input, param)) return {};
  return value_fix(param, *check, recovery_input);
}

std::vector<Prevention> prevention_steps(const std::string& tool, const json& mistake, const std::string& fix,
                                         std::size_t fix_count) {
  std::vector<Prevention> steps;
  if (!fix.empty() && fix_count >= kConsensusRecoveries) {
    std::string action = fix;
    action[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(action[0])));
    steps.push_back({action, fmt::format("the agent recovered this way {} times", fix_count),
                     static_cast<std::int64_t>(fix_count)});
    return steps;
  }
  const std::string what = describe_mistake(mistake);
  if (const auto req = mistake.find("requires"); req != mistake.end() && req->is_object()) {
    const std::string same = string_field(*req, "same");
    const std::string tools = tools_phrase(required_tools(*req));
    steps.push_back({same.empty() ? fmt::format("Run {} before `{}`", tools, tool)
                                  : fmt::format("Run {} on the same `{}` before `{}`", tools, same, tool),
                     fmt::format("`{}` fails when {}", tool, what)});
  } else {
    const json check = mistake.value("check", json::object());
    const std::string type = string_field(check, "type");
    const std::string param = string_field(mistake, "param");
    const std::string usual = string_field(mistake, "usual");
    std::string action;
    if (type == "program")
      action = fmt::format(
          "Check that `{0}` is installed (`command -v {0}`) before running it, or use what the "
          "project already has",
          string_field(check, "program"));
    else if (type == "subcommand")
      action = fmt::format("Use a subcommand that `{0}` has (`{0} --help`)", string_field(check, "program"));
    else if (type == "flag")
      action = fmt::format("Use a flag that `{0}` accepts (`{0} --help`)", string_field(check, "program"));
    else if (type == "missing")
      action = fmt::format("Always pass `{}`", param);
    else if (!usual.empty())
      action = fmt::format("Pass `{}` as {}", param, usual);
    else if (type == "path")
      action = fmt::format("Check that the `{}` exists and is the right kind of file before calling `{}`", param, tool);
    else
      action = fmt::format("Check the value of `{}` before calling `{}`", param, tool);
    steps.push_back({action, fmt::format("`{}` fails when {}", tool, what)});
  }
  if (!fix.empty())
    steps.push_back({fix,
                     fix_count == 1 ? std::string("the agent recovered this way once")
                                    : fmt::format("the agent recovered this way {} times", fix_count),
                     static_cast<std::int64_t>(fix_count)});
  return steps;
}

}  // namespace pat
