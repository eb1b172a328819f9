#include "detect/repeated_work.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "detect/occurrences.hpp"
#include "detect/operation.hpp"
#include "detect/written_files.hpp"
#include "util/content_hash.hpp"
#include "util/time_format.hpp"

namespace pat {
namespace {

struct ExecutionGroup {
  std::string signature, tool;
  bool command_line = false;
  std::string command;  // merged command-line template
  FieldTracker fields;
  Occurrences occurrences;
  WindowCount window;
};

struct FailureGroup {
  std::string tool, template_text;
  FieldTracker fields;
  Occurrences occurrences;
};

}  // namespace

struct RepeatedWork::Impl {
  explicit Impl(RepeatedWorkOptions o) : options(o), files(o.file_window_hours, o.min_occurrences, o.max_examples) {}
  RepeatedWorkOptions options;
  std::unordered_map<std::string, ExecutionGroup> executions;  // by signature and shape
  std::unordered_map<std::string, FailureGroup> failures;      // by tool and template
  WrittenFiles files;

  void add_execution(const Event& e, TimePoint t, Execution&& x) {
    ExecutionGroup& g = executions[x.signature + '\x1e' + x.shape];
    if (g.occurrences.count() == 0) {
      g.signature = x.signature;
      g.tool = e.tool;
      g.command_line = !x.command.empty();
      g.command = x.command;
    } else if (g.command_line) {
      g.command = merge_command_templates(g.command, x.command);
    }
    g.fields.add(x.fields);
    g.occurrences.add(sighting_of(e, t), options.max_examples);
    g.window.add(t, from_hours(options.execution_window_days * 24), options.min_occurrences);
  }
};

RepeatedWork::RepeatedWork(RepeatedWorkOptions options) : impl_(std::make_unique<Impl>(options)) {}

RepeatedWork::~RepeatedWork() = default;

void RepeatedWork::add_success(const Event& e) {
  if (e.outcome == Outcome::failure) return;
  const auto t = parse_time(e.ts);
  if (!t) return;  // without a time it cannot be placed in a window
  if (auto x = describe_execution(e)) impl_->add_execution(e, *t, std::move(*x));
  if (e.tool == "Write") impl_->files.add(e, *t);
}

void RepeatedWork::add_failure(const Event& e, const std::string& template_text) {
  if (template_text.empty()) return;
  FailureGroup& g = impl_->failures[e.tool + '\x1e' + template_text];
  if (g.occurrences.count() == 0) {
    g.tool = e.tool;
    g.template_text = template_text;
  }
  if (auto x = describe_execution(e)) g.fields.add(x->fields);
  g.occurrences.add(sighting_of(e, parse_time(e.ts)), impl_->options.max_examples);
}

std::vector<Candidate> RepeatedWork::candidates() const {
  std::vector<Candidate> out;
  for (const auto& [key, g] : impl_->executions) {
    if (!g.window.reached()) continue;
    Candidate c = g.occurrences.candidate("repeated_execution", g.signature);
    c.invariants = g.fields.invariants();
    c.variables = g.fields.variables();
    c.template_text = g.command_line ? g.command : g.fields.tool_template(g.tool);
    out.push_back(std::move(c));
  }
  impl_->files.candidates(out);
  const auto needed = static_cast<std::int64_t>(impl_->options.min_occurrences);
  for (const auto& [key, g] : impl_->failures) {
    if (g.occurrences.count() < needed) continue;
    const std::string signature = "anti-pattern:" + g.tool + ':' + content_hash(g.template_text).substr(0, 16);
    Candidate c = g.occurrences.candidate("anti_pattern", signature);
    c.invariants = g.fields.invariants();
    c.variables = g.fields.variables();
    c.template_text = g.template_text;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.type, a.signature, a.id) < std::tie(b.type, b.signature, b.id);
  });
  return out;
}

std::string RepeatedWork::signature(const Event& e) {
  const auto x = describe_execution(e);
  return x ? x->signature : std::string();
}

}  // namespace pat
