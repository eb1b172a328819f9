#include "cli/config.hpp"

#include <cstdlib>
#include <sstream>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/small_file.hpp"
#include "util/text.hpp"

namespace pat {
namespace {

constexpr std::string_view kLineBlanks = " \t\r";
constexpr std::size_t kMaxConfigBytes = 1u << 20;  // a config is a few lines

[[noreturn]] void syntax(const fs::path& file, std::size_t line, const std::string& what) {
  throw Error(Exit::config, fmt::format("{}:{}: {}", file.string(), line, what));
}

// Parses one scalar at s[i]; advances i.
std::string scalar(const std::string& s, std::size_t& i, bool& is_bool, const fs::path& file, std::size_t line) {
  is_bool = false;
  if (s[i] == '"' || s[i] == '\'') {
    const char q = s[i++];
    std::string out;
    while (i < s.size() && s[i] != q) {
      if (q == '"' && s[i] == '\\' && i + 1 < s.size()) {
        const char c = s[++i];
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      } else {
        out += s[i];
      }
      ++i;
    }
    if (i >= s.size()) syntax(file, line, "unterminated string");
    ++i;
    return out;
  }
  const auto end = s.find_first_of(",] \t#", i);
  std::string word = s.substr(i, end == std::string::npos ? std::string::npos : end - i);
  i = end == std::string::npos ? s.size() : end;
  if (word == "true" || word == "false") {
    is_bool = true;
    return word;
  }
  if (word.empty() || word.find_first_not_of("0123456789+-.eE_") != std::string::npos)
    syntax(file, line, fmt::format("bad value \"{}\" (strings need quotes)", word));
  return word;
}

}  // namespace

std::vector<ConfigEntry> read_config(const fs::path& file) {
  std::vector<ConfigEntry> out;
  const auto text = read_small_file(file, kMaxConfigBytes, Exit::config);
  if (!text) return out;
  std::istringstream in(*text);
  std::string raw, section;
  std::size_t line = 0;
  while (std::getline(in, raw)) {
    ++line;
    const std::string s = std::string(trim(raw, kLineBlanks));
    if (s.empty() || s[0] == '#') continue;
    if (s[0] == '[') {
      const auto close = s.find(']');
      if (close == std::string::npos) syntax(file, line, "section header without ]");
      section = std::string(trim(s.substr(1, close - 1), kLineBlanks));
      continue;
    }
    const auto eq = s.find('=');
    if (eq == std::string::npos) syntax(file, line, "expected key = value");
    ConfigEntry e;
    e.section = section;
    e.key = std::string(trim(s.substr(0, eq), kLineBlanks));
    e.line = line;
    if (e.key.empty() || e.key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos)
      syntax(file, line, fmt::format("bad key \"{}\"", e.key));
    std::string v = std::string(trim(s.substr(eq + 1), kLineBlanks));
    if (v.empty()) syntax(file, line, "missing value");
    std::size_t i = 0;
    if (v[0] == '[') {
      ++i;
      while (true) {
        while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) ++i;
        if (i >= v.size()) syntax(file, line, "array without ]");
        if (v[i] == ']') break;
        bool b;
        e.values.push_back(scalar(v, i, b, file, line));
      }
      ++i;  // past ]
    } else {
      e.values.push_back(scalar(v, i, e.is_bool, file, line));
    }
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t')) ++i;
    if (i < v.size() && v[i] != '#')
      syntax(file, line, fmt::format("unexpected text after the value: {}", v.substr(i)));
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> config_arguments(const std::vector<ConfigEntry>& entries, const fs::path& file,
                                          const std::string& tool, CLI::App& app) {
  std::vector<std::string> args;
  for (const auto& e : entries) {
    if (!e.section.empty() && e.section != tool) continue;
    CLI::Option* opt = app.get_option_no_throw("--" + e.key);
    if (!opt) {
      if (e.section == tool)
        throw Error(Exit::config, fmt::format("{}:{}: {} has no option --{}", file.string(), e.line, tool, e.key));
      continue;
    }
    if (const std::string env = opt->get_envname(); !env.empty() && std::getenv(env.c_str())) continue;
    if (opt->get_expected_min() == 0) {  // a flag
      if (!e.is_bool)
        throw Error(Exit::config, fmt::format("{}:{}: --{} takes true or false", file.string(), e.line, e.key));
      if (e.values.front() == "true") args.push_back("--" + e.key);
      continue;
    }
    for (const auto& v : e.values) {
      args.push_back("--" + e.key);
      args.push_back(v);
    }
  }
  return args;
}

}  // namespace pat
