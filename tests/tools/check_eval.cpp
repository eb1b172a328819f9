// check_eval PATTERNS.jsonl CALLS.jsonl
//
// Test helper for the end-to-end suites: evaluates learned mistake checks on known tool calls.
// PATTERNS.jsonl holds pattern records (other kinds are skipped); CALLS.jsonl holds tool calls,
// {"session", "tool", "input"} one a line, each session's calls in the order they ran. Prints one
// line per call: the ids of the patterns of the call's tool whose check matches it, separated by
// spaces, in the order of PATTERNS.jsonl; an empty line when none does.
//
// A session predicate asks whether the session already ran something: it is answered from the
// calls of the same session earlier in CALLS.jsonl (whatever their outcome). A path predicate is
// answered from the call's "file_exists" (default true: every path the call names is a file).
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mistake/call_check.hpp"

namespace {

using pat::json;

struct Check {
  std::string id, tool;
  std::optional<pat::Check> check;
};

struct Call {
  std::string tool;
  json input;
};

std::vector<json> read_jsonl(const char* path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot open ") + path);
  std::vector<json> records;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      records.push_back(json::parse(line));
    } catch (const json::exception& e) {
      throw std::runtime_error(std::string(path) + ":" + std::to_string(number) + ": " + e.what());
    }
  }
  return records;
}

// The calls of the session so far, and what the call says of its files.
class Context : public pat::CheckContext {
public:
  Context(const std::vector<Call>& history, bool files_exist) : history_(history), files_exist_(files_exist) {}
  std::optional<bool> session_ran(const pat::SessionLacks& need, const pat::CallView& call) override {
    const pat::Part same{need.same, pat::ShellPart::none, "", ""};
    for (const Call& c : history_) {
      if (c.tool != need.tool) continue;
      const pat::CallView earlier(c.input);
      if (!need.same.empty() && earlier.values(same) != call.values(same)) continue;
      if (need.program.empty()) return true;
      for (const auto& sc : earlier.commands("command"))
        if (sc.name == need.program && (need.subcommand.empty() || sc.subcommand == need.subcommand)) return true;
    }
    return false;
  }
  std::optional<pat::PathState> path_state(const std::string&, const pat::CallView&) override {
    return pat::PathState{files_exist_, false, 0};
  }

private:
  const std::vector<Call>& history_;
  bool files_exist_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: check_eval PATTERNS.jsonl CALLS.jsonl\n";
    return 64;
  }
  try {
    std::vector<Check> checks;
    for (const json& p : read_jsonl(argv[1])) {
      if (p.value("kind", "") != "pattern" || !p.contains("mistake")) continue;
      checks.push_back(
          {p.at("id").get<std::string>(), p.at("tool").get<std::string>(), pat::check_from_json(p.at("mistake"))});
    }

    std::map<std::string, std::vector<Call>> earlier;  // session -> its calls evaluated so far
    for (const json& record : read_jsonl(argv[2])) {
      Call call{record.at("tool").get<std::string>(), record.value("input", json::object())};
      std::vector<Call>& history = earlier[record.value("session", "")];
      Context context(history, record.value("file_exists", true));
      const pat::CallView view(call.input);
      std::string ids;
      for (const Check& check : checks) {
        if (check.tool != call.tool) continue;
        if (check.check && pat::matches(*check.check, view, context)) ids += (ids.empty() ? "" : " ") + check.id;
      }
      std::cout << ids << '\n';
      history.push_back(std::move(call));
    }
    std::cout.flush();
    if (!std::cout) throw std::runtime_error("cannot write to standard output");
  } catch (const std::exception& e) {
    std::cerr << "check_eval: " << e.what() << '\n';
    return 65;
  }
  return 0;
}
