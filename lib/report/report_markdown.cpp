#include "report/report_markdown.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "report/markdown_text.hpp"
#include "report/report_format.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

constexpr std::size_t kMistakeBytes = 200;       // a root cause's first sentence in a table
constexpr std::size_t kContextCause = 300;       // ... and in the context
constexpr std::size_t kContextAction = 200;      // a prevention step in the context
constexpr std::size_t kHeadingSignature = 56;    // a signature in a heading (headings stay under 80)
constexpr std::size_t kMaxUnexplainedRows = 10;  // templates nothing explains, in the dashboard

// A document as blocks (paragraphs, lists, tables, fences, headings) separated by one blank
// line, ended by one newline: what markdownlint asks of block spacing.
class Document {
public:
  void heading(int level, const std::string& inline_md) {
    add(std::string(static_cast<std::size_t>(level), '#') + " " + inline_md);
  }
  void paragraph(const std::string& inline_md) { add(md_wrap(inline_md, "", "")); }
  void list(const std::vector<std::string>& items) {
    if (items.empty()) return;
    std::string block;
    for (const auto& item : items) block += (block.empty() ? "" : "\n") + md_wrap(item, "- ", "  ");
    add(block);
  }
  void raw(std::string block) {
    while (!block.empty() && block.back() == '\n') block.pop_back();
    add(std::move(block));
  }
  // Cells are inline Markdown made for a table (md_inline(..., true)); `align` has one 'l' or
  // 'r' per column.
  void table(const std::vector<std::string>& header, const std::string& align,
             const std::vector<std::vector<std::string>>& rows) {
    std::string block = row(header) + "\n|";
    for (const char a : align) block += a == 'r' ? " ---: |" : " --- |";
    for (const auto& r : rows) block += "\n" + row(r);
    add(block);
  }
  std::string text() const { return blocks_.empty() ? std::string() : blocks_ + "\n"; }

private:
  static std::string row(const std::vector<std::string>& cells) {
    std::string s = "|";
    for (const auto& c : cells) s += " " + (c.empty() ? std::string("-") : c) + " |";
    return s;
  }
  void add(const std::string& block) {
    if (!blocks_.empty()) blocks_ += "\n\n";
    blocks_ += block;
  }
  std::string blocks_;
};

std::string cell(std::string_view text) { return md_inline(text, true); }
std::string code_cell(std::string_view text) { return md_code(text, true); }
std::string num(std::int64_t n) { return fmt::format("{}", n); }
std::string date_of(const std::string& time) { return time.size() >= 10 ? time.substr(0, 10) : time; }
std::string short_id(const std::string& id) { return id.substr(0, 8); }

std::string ratio_text(const Ratio& r) {
  if (!r.value()) return "n/a";
  return fmt::format("{} ({} of {})", format_percent(r.value()), r.part, r.whole);
}

std::string first_action(const Pattern& p) { return p.base.prevention.empty() ? "" : p.base.prevention.front().action; }

std::vector<std::string> pattern_row(const Pattern& p) {
  return {level_marker(p.level),
          code_cell(short_id(p.base.id)),
          code_cell(p.base.tool),
          code_cell(category_name(p.base.category)),
          format_confidence(p.confidence),
          num(p.observations),
          date_of(p.last_seen),
          cell(first_sentence(p.base.root_cause, kMistakeBytes))};
}

void pattern_table(Document& doc, const std::vector<Pattern>& patterns) {
  if (patterns.empty()) {
    doc.paragraph("No active pattern.");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : patterns) rows.push_back(pattern_row(p));
  doc.table({"Level", "Pattern", "Tool", "Category", "Confidence", "Observations", "Last seen", "Mistake"}, "llllrrll",
            rows);
}

void shown_of(Document& doc, std::size_t shown, std::int64_t total) {
  if (static_cast<std::int64_t>(shown) < total)
    doc.paragraph(fmt::format("The first {} of {} are shown (`--top`).", shown, total));
}

void aging_table(Document& doc, const std::vector<AgingEntry>& entries, std::int64_t total, const char* after) {
  if (entries.empty()) {
    doc.paragraph("None.");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries)
    rows.push_back({level_marker(e.pattern.level), code_cell(short_id(e.pattern.base.id)),
                    code_cell(e.pattern.base.tool), date_of(e.pattern.last_seen), num(e.days_unseen),
                    format_confidence(e.pattern.confidence), format_confidence(e.confidence_after)});
  doc.table({"Level", "Pattern", "Tool", "Last seen", "Days unseen", "Confidence", after}, "llllrrr", rows);
  shown_of(doc, entries.size(), total);
}

// "anti-pattern:TOOL:TEMPLATE-ID" -> TOOL
std::string anti_pattern_tool(const Candidate& c) {
  const auto first = c.signature.find(':');
  const auto last = c.signature.rfind(':');
  if (first == std::string::npos || last == first) return c.signature;
  return c.signature.substr(first + 1, last - first - 1);
}

void anti_pattern_table(Document& doc, const std::vector<CandidateEntry>& entries) {
  if (entries.empty()) {
    doc.paragraph("None.");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries)
    rows.push_back({code_cell(anti_pattern_tool(e.candidate)), num(e.candidate.occurrences), date_of(e.candidate.ts),
                    code_cell(clip_text(e.candidate.template_text, kMistakeBytes))});
  doc.table({"Tool", "Occurrences", "Last seen", "Failure template"}, "lrll", rows);
}

std::string type_text(const std::string& type) {
  if (type == "repeated_execution") return "repeated execution";
  if (type == "file_template") return "file template";
  if (type == "anti_pattern") return "anti-pattern";
  return type;
}

std::string saving(const std::optional<std::int64_t>& ms) { return ms ? format_duration(*ms) : "unknown"; }

std::string thresholds_text(const ReportOptions& o) {
  return fmt::format(
      "at least {} occurrences, a confidence of at least {} from the occurrences on the patterns' "
      "curve, and an estimated saving of at least {} in all",
      o.min_occurrences, format_confidence(o.min_confidence), format_duration(o.min_savings_ms));
}

void automation_table(Document& doc, const std::vector<CandidateEntry>& entries, bool first_seen) {
  if (entries.empty()) {
    doc.paragraph("None.");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : entries) {
    std::vector<std::string> r = {code_cell(clip_text(e.candidate.signature, 120)), type_text(e.candidate.type)};
    if (first_seen) r.push_back(date_of(e.first_seen));
    r.insert(r.end(),
             {num(e.candidate.occurrences), format_confidence(e.confidence), saving(e.per_run_ms), saving(e.total_ms)});
    rows.push_back(std::move(r));
  }
  if (first_seen)
    doc.table({"Candidate", "Type", "First seen", "Occurrences", "Confidence", "Saving a run", "Saving in all"},
              "lllrrrr", rows);
  else
    doc.table({"Candidate", "Type", "Occurrences", "Confidence", "Saving a run", "Saving in all"}, "llrrrr", rows);
}

std::string mermaid_list(const std::vector<std::string>& items) {
  std::string s = "[";
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i];
  return s + "]";
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// An xychart (GitHub renders Mermaid): bars, and a line when `line` is given.
std::string xychart(const std::string& title, const std::vector<std::string>& labels, const std::string& y_title,
                    const std::vector<std::int64_t>& bars, const std::vector<std::int64_t>* line = nullptr) {
  std::int64_t top = 1;
  for (const auto v : bars) top = std::max(top, v);
  if (line)
    for (const auto v : *line) top = std::max(top, v);
  std::vector<std::string> quoted_labels, bar_values, line_values;
  for (const auto& l : labels) quoted_labels.push_back(quoted(l));
  for (const auto v : bars) bar_values.push_back(num(v));
  std::string body = "xychart-beta\n";
  body += "    title " + quoted(title) + "\n";
  body += "    x-axis " + mermaid_list(quoted_labels) + "\n";
  body += fmt::format("    y-axis {} 0 --> {}\n", quoted(y_title), top);
  body += "    bar " + mermaid_list(bar_values) + "\n";
  if (line) {
    for (const auto v : *line) line_values.push_back(num(v));
    body += "    line " + mermaid_list(line_values) + "\n";
  }
  return md_fence(body, "mermaid");
}

// What nothing explains yet, most frequent first: a mistake that has not recurred, or one no
// check can tell from the successful calls.
void unexplained_templates(Document& doc, const FailureSummary& f) {
  if (f.unexplained.empty()) return;
  std::vector<std::pair<std::int64_t, std::pair<std::string, std::string>>> top;
  for (const auto& [key, n] : f.unexplained) top.emplace_back(n, key);
  std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (top.size() > kMaxUnexplainedRows) top.resize(kMaxUnexplainedRows);
  std::vector<std::vector<std::string>> rows;
  for (const auto& [n, key] : top)
    rows.push_back({code_cell(key.first), code_cell(utf8_truncated(key.second, 100)), num(n)});
  doc.paragraph(
      "Failures nothing explains yet, by template (never learned; a mistake is learned once it recurs and a "
      "check tells its calls from the successful ones):");
  doc.table({"Tool", "Template", "Failed calls"}, "llr", rows);
}

void failure_classes(Document& doc, const FailureSummary& f) {
  if (f.failures == 0) {
    doc.paragraph("No failed call.");
    return;
  }
  std::vector<std::pair<std::string, std::int64_t>> classes(f.by_class.begin(), f.by_class.end());
  // Usage mistakes first, then the other errors; most frequent first, ties by name.
  std::sort(classes.begin(), classes.end(), [&](const auto& a, const auto& b) {
    const bool ua = f.usage_class.at(a.first), ub = f.usage_class.at(b.first);
    if (ua != ub) return ua;
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;
  });
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, n] : classes)
    rows.push_back({code_cell(name), f.usage_class.at(name) ? "usage mistake" : "other error", num(n)});
  // Failures patdetect has not judged yet: stored since its last run.
  if (f.not_judged > 0) rows.push_back({"(not judged yet)", "run `patdetect --resume`", num(f.not_judged)});
  doc.table({"Class", "Kind", "Failed calls"}, "llr", rows);
  unexplained_templates(doc, f);
}

}  // namespace

std::string level_marker(Level level) {
  switch (level) {
    case Level::critical: return "**CRITICAL**";
    case Level::high: return "**HIGH**";
    case Level::medium: return "MEDIUM";
    case Level::low: return "LOW";
  }
  return "LOW";
}

namespace {

// One sentence on learning: when it last ran by itself and how, and what waits for the next run.
std::string learning_text(const LearningStatus& l) {
  const std::string waiting = fmt::format("{} new event{} for the next run", l.waiting, l.waiting == 1 ? "" : "s");
  if (!l.last)
    return fmt::format("Learning has not run by itself yet (`patsetup learn`, at the end of each session); {}.",
                       waiting);
  const LearningRun& r = *l.last;
  std::string how = r.status == "ok"
                        ? fmt::format("ok: {} event{} learned from, {} active pattern{} after it", r.events,
                                      r.events == 1 ? "" : "s", r.patterns, r.patterns == 1 ? "" : "s")
                        : r.status;
  if (r.status != "ok" && !r.message.empty()) how += ": " + r.message;
  return fmt::format("Learning last ran at {} ({}; {}); {}.", r.started_at, r.trigger, how, waiting);
}

void dashboard_totals(Document& doc, const DashboardData& d, const ReportOptions& o) {
  doc.heading(2, "Totals");
  doc.table({"Measure", "Count"}, "lr",
            {{"Active patterns", num(d.active)},
             {fmt::format("High-confidence patterns ({} or more)", format_confidence(o.high_confidence)),
              num(d.high_confidence)},
             {"Archived patterns", num(d.archived)},
             {"Events", num(d.events)},
             {"Failed calls", num(d.failures.failures)},
             {"Usage mistakes", num(d.failures.usage_mistakes)},
             {"Other errors", num(d.failures.other_errors)},
             {"Automation candidates", num(d.automation_candidates)},
             {"Automation candidates over the thresholds", num(d.automation_over_thresholds)},
             {"Anti-patterns", num(d.anti_pattern_candidates)}});
  doc.paragraph(md_inline(learning_text(d.learning)));
  doc.heading(3, "Failed calls by class");
  failure_classes(doc, d.failures);
}

void dashboard_prevention(Document& doc, const DashboardData& d) {
  doc.heading(2, "Prevention");
  doc.table({"Measure", "Value"}, "lr",
            {{"Calls warned", num(d.checks.warned)},
             {"Calls blocked", num(d.checks.blocked)},
             {"True positives", num(d.checks.true_positive)},
             {"False positives", num(d.checks.false_positive)},
             {"Prevention success rate", ratio_text(d.prevention_success)},
             {"False-positive rate", ratio_text(d.false_positives)}});
  doc.paragraph(
      "Prevention success rate: blocked / (blocked + true positives), the share of the real mistakes `patcheck` "
      "caught that it stopped before they ran. False-positive rate: false positives / (true positives + false "
      "positives). Both sum the checks of every pattern; n/a while nothing was counted.");
}

void dashboard_aging(Document& doc, const DashboardData& d, const ReportOptions& o) {
  doc.heading(2, "Aging");
  doc.paragraph(
      fmt::format("What the next `patprune` run would do: active patterns unseen for {} days or more lose "
                  "{} of confidence for each {} days; those unseen for {} days or more and under {} are "
                  "archived.",
                  o.aging.decay_period_days, format_confidence(o.aging.decay_per_period), o.aging.decay_period_days,
                  o.aging.prune_after_days, format_confidence(o.aging.prune_below)));
  doc.heading(3, "Due for decay");
  aging_table(doc, d.decay, d.decay_total, "After decay");
  doc.heading(3, "Due for archiving");
  aging_table(doc, d.prune, d.prune_total, "After decay");
}

void dashboard_charts(Document& doc, const DashboardData& d) {
  doc.heading(2, "Charts");
  doc.heading(3, "Confidence of active patterns");
  {
    std::vector<std::string> labels;
    std::vector<std::int64_t> counts;
    for (const auto& b : d.confidence_bins) {
      labels.push_back(fmt::format("{:.2f}", b.from));
      counts.push_back(b.patterns);
    }
    doc.raw(xychart("Active patterns by confidence", labels, "patterns", counts));
    doc.paragraph("Each bar counts the patterns from its confidence up to the next bar's (0.00: under 0.50).");
  }
  doc.heading(3, "Weekly trend");
  {
    std::vector<std::string> labels;
    std::vector<std::int64_t> failures, verdicts;
    std::vector<std::vector<std::string>> rows;
    for (const auto& w : d.weeks) {
      labels.push_back(w.week);
      failures.push_back(w.failures);
      verdicts.push_back(w.warned + w.blocked);
      rows.push_back({w.week, w.starts, num(w.failures), num(w.warned), num(w.blocked)});
    }
    doc.raw(xychart("Failed calls (bars) and patcheck verdicts (line) per week", labels, "calls", failures, &verdicts));
    doc.table({"ISO week", "From", "Failed calls", "Warned", "Blocked"}, "llrrr", rows);
  }
}

}  // namespace

std::string dashboard_markdown(const DashboardData& d, const ReportOptions& o) {
  Document doc;
  doc.heading(1, "pattools dashboard");
  doc.paragraph(
      fmt::format("The store as of {}. Levels: **CRITICAL** (`patcheck` blocks the call), **HIGH** and "
                  "MEDIUM (it warns), LOW (it says nothing).",
                  d.now));
  dashboard_totals(doc, d, o);
  dashboard_prevention(doc, d);
  dashboard_aging(doc, d, o);
  doc.heading(2, "Top patterns by confidence");
  pattern_table(doc, d.top_by_confidence);
  doc.heading(2, "Top patterns by recent activity");
  pattern_table(doc, d.top_by_recent);

  doc.heading(2, "Anti-patterns");
  doc.paragraph("The same failure again and again, most frequent first.");
  anti_pattern_table(doc, d.anti_patterns);
  shown_of(doc, d.anti_patterns.size(), d.anti_pattern_candidates);

  doc.heading(2, "Automation candidates");
  doc.paragraph(
      fmt::format("Repeated work over the thresholds ({}), largest saving first; `patreport candidates` "
                  "writes each as an issue.",
                  thresholds_text(o)));
  automation_table(doc, d.automation, false);
  shown_of(doc, d.automation.size(), d.automation_over_thresholds);
  dashboard_charts(doc, d);
  return doc.text();
}

std::string weekly_markdown(const WeeklyData& d, const ReportOptions& o) {
  Document doc;
  doc.heading(1, "pattools weekly report");
  doc.paragraph(fmt::format("The {} days from {} to {}.", d.days, d.since, d.now));

  doc.heading(2, "Summary");
  doc.list(
      {fmt::format("Failed calls: {} ({} usage mistakes, {} other errors{})", d.failures.failures,
                   d.failures.usage_mistakes, d.failures.other_errors,
                   d.failures.not_judged > 0 ? fmt::format(", {} not judged yet", d.failures.not_judged) : ""),
       fmt::format("Verdicts of `patcheck`: {} ({} warned, {} blocked)", d.warned + d.blocked, d.warned, d.blocked),
       fmt::format("Time saved by prevention: {}", format_duration(d.time_saved_ms)),
       fmt::format("New automation candidates: {}", d.new_candidates_total),
       fmt::format("Anti-patterns that recurred: {}", d.anti_patterns_total),
       fmt::format("Patterns to improve: {}", d.improve_total), md_inline(learning_text(d.learning))});

  doc.heading(2, "Top patterns by use");
  doc.paragraph("Use: the verdicts of the period, warnings and blocks, that named the pattern.");
  if (d.top_used.empty()) {
    doc.paragraph("No pattern was used.");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& u : d.top_used)
      rows.push_back({level_marker(u.pattern.level), code_cell(short_id(u.pattern.base.id)),
                      code_cell(u.pattern.base.tool), code_cell(category_name(u.pattern.base.category)), num(u.warned),
                      num(u.blocked), ratio_text(prevention_success(u.pattern.checks))});
    doc.table({"Level", "Pattern", "Tool", "Category", "Warned", "Blocked", "Prevention success rate"}, "llllrrl",
              rows);
  }

  doc.heading(2, "Time saved by prevention");
  doc.paragraph(
      "Each call blocked in the period counts for its first (most confident) pattern, and saves the median "
      "duration of the failed calls of that pattern's tool; where none of those has a duration, of the pattern's "
      "example events; where none of those has one either, of every finished call of the tool.");
  if (d.time_saved.empty()) {
    doc.paragraph("No call was blocked.");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : d.time_saved) {
      std::string basis = "no duration recorded";
      if (t.basis == "failed_calls_of_tool")
        basis = fmt::format("{} failed calls of the tool", t.samples);
      else if (t.basis == "example_events")
        basis = fmt::format("{} example events", t.samples);
      else if (t.basis == "finished_calls_of_tool")
        basis = fmt::format("{} finished calls of the tool", t.samples);
      rows.push_back({code_cell(short_id(t.pattern)), code_cell(t.tool), num(t.blocked),
                      t.median_ms ? format_duration(*t.median_ms) : "unknown", basis, format_duration(t.saved_ms())});
    }
    doc.table({"Pattern", "Tool", "Blocked", "Median duration", "Median of", "Saved"}, "llrrlr", rows);
    std::string total = fmt::format("In all: {}.", format_duration(d.time_saved_ms));
    if (d.blocked_without_duration)
      total +=
          fmt::format(" {} blocked calls had no duration to go by and count for nothing.", d.blocked_without_duration);
    doc.paragraph(total);
  }

  doc.heading(2, "New automation candidates");
  doc.paragraph(
      fmt::format("Repeated work first seen in the period, most frequent first; those over the thresholds "
                  "({}) are in `patreport candidates`.",
                  thresholds_text(o)));
  automation_table(doc, d.new_candidates, true);
  shown_of(doc, d.new_candidates.size(), d.new_candidates_total);

  doc.heading(2, "Anti-patterns");
  doc.paragraph("Failures that recurred in the period (the same failure three times or more), most frequent first.");
  anti_pattern_table(doc, d.anti_patterns);
  shown_of(doc, d.anti_patterns.size(), d.anti_patterns_total);

  doc.heading(2, "Recommended actions");
  if (d.actions.empty()) {
    doc.paragraph("Nothing to do.");
  } else {
    std::vector<std::string> items;
    for (const auto& a : d.actions) items.push_back(a.text);
    doc.list(items);
    shown_of(doc, d.improve.size(), d.improve_total);
  }
  return doc.text();
}

std::string candidates_markdown(const CandidatesData& d, const ReportOptions& o) {
  Document doc;
  doc.heading(1, "Automation candidates");
  doc.paragraph(
      fmt::format("{} of the {} candidates of repeated work pass the thresholds: {}. Largest saving first; "
                  "each section below can be pasted into an issue.",
                  d.over_thresholds, d.considered, thresholds_text(o)));
  shown_of(doc, d.entries.size(), d.over_thresholds);
  if (d.entries.empty()) doc.paragraph("No candidate passes the thresholds.");
  std::size_t n = 0;
  for (const auto& e : d.entries) {
    const Candidate& c = e.candidate;
    doc.heading(2, fmt::format("{}. Automate {}", ++n, md_code(clip_text(c.signature, kHeadingSignature))));
    const std::string last = date_of(c.ts);
    if (c.type == "file_template")
      doc.paragraph(md_inline(fmt::format(
          "{} files were written from the same template (the last on {}). A generator, a snippet or a script that "
          "takes the varying parts as arguments would write them in one step.",
          c.occurrences, last)));
    else
      doc.paragraph(md_inline(fmt::format(
          "The same kind of call ran {} times (the last on {}). A script, a make target or an alias that takes the "
          "varying parts as arguments would save composing it again each time.",
          c.occurrences, last)));
    std::string savings = "unknown (no recorded durations)";
    if (e.per_run_ms && e.total_ms)
      savings = fmt::format("{} a run, {} in all (the median of {} timed runs)", format_duration(*e.per_run_ms),
                            format_duration(*e.total_ms), e.timed_runs);
    doc.list({"Type: " + type_text(c.type), fmt::format("Occurrences: {}", c.occurrences),
              "Confidence: " + format_confidence(e.confidence), "Estimated saving: " + savings,
              "Signature: " + md_code(c.signature), "Candidate: " + md_code(c.id)});
    if (!c.template_text.empty()) {
      doc.paragraph("Template:");
      // A file template can be long: its first 40 lines and 4000 bytes.
      std::string body;
      std::size_t lines = 0, start = 0;
      const std::string& t = c.template_text;
      while (start < t.size() && lines < 40 && body.size() < 4000) {
        const auto end = std::min(t.find('\n', start), t.size());
        body += t.substr(start, end - start) + "\n";
        start = end + 1;
        ++lines;
      }
      if (start < t.size()) body += "...\n";
      doc.raw(md_fence(body, "text"));
    }
    auto value_text = [](const json& v) {
      if (v.is_null()) return std::string("(none)");
      return md_code(v.is_string() ? v.get<std::string>() : dump_json(v));
    };
    if (!c.invariants.empty()) {
      doc.paragraph("The same in every occurrence:");
      std::vector<std::string> items;
      for (const auto& [key, v] : c.invariants.items()) items.push_back(md_code(key) + ": " + value_text(v));
      doc.list(items);
    }
    if (!c.variables.empty()) {
      doc.paragraph("Varies:");
      std::vector<std::string> items;
      for (const auto& [key, v] : c.variables.items()) {
        std::string values;
        if (v.is_array())
          for (const auto& x : v) values += (values.empty() ? "" : ", ") + value_text(x);
        else
          values = value_text(v);
        items.push_back(md_code(key) + ": " + values);
      }
      doc.list(items);
    }
    if (!c.examples.empty()) {
      std::string ids;
      for (const auto& id : c.examples) ids += (ids.empty() ? "" : ", ") + md_code(id);
      doc.paragraph("Example events: " + ids + ".");
    }
  }
  return doc.text();
}

std::string context_markdown(const ContextData& d, std::size_t max_bytes, bool empty_when_none) {
  if (d.patterns.empty() && empty_when_none) return "";
  std::string text = "# Tool-call mistakes to avoid\n\n";
  if (d.patterns.empty()) {
    text += md_wrap(fmt::format("pattools has learned no mistake with enough confidence to list yet ({} active "
                                "patterns, none at medium confidence or above).",
                                d.active),
                    "", "") +
            "\n";
    return text;
  }
  const std::string which =
      static_cast<std::int64_t>(d.patterns.size()) == d.eligible
          ? (d.patterns.size() == 1
                 ? std::string("pattools learned this mistake from the failed tool calls of earlier sessions.")
                 : fmt::format("pattools learned these {} mistakes from the failed tool calls of earlier sessions.",
                               d.patterns.size()))
          : fmt::format(
                "pattools learned these mistakes from the failed tool calls of earlier sessions: the {} most "
                "confident of {}.",
                d.patterns.size(), d.eligible);
  text += md_wrap(which +
                      " Follow the prevention steps: `patcheck` blocks the critical ones before they run and warns "
                      "about the others.",
                  "", "");
  // Each pattern is added only if it and the closing line fit.
  const auto closing = [](std::size_t left, std::size_t cap) {
    return left == 0 ? std::string("\n")
                     : "\n\n" +
                           md_wrap(fmt::format("{} more patterns are not shown (the context is capped at {} "
                                               "characters).",
                                               left, cap),
                                   "", "") +
                           "\n";
  };
  const std::size_t reserve = closing(d.patterns.size(), max_bytes).size();
  std::optional<Level> group;
  std::size_t shown = 0;
  for (const auto& p : d.patterns) {
    std::string add;
    if (!group || *group != p.level) {
      const char* title = p.level == Level::critical ? "Critical: blocked before they run"
                          : p.level == Level::high   ? "High: warned"
                          : p.level == Level::medium ? "Medium: warned"
                                                     : "Low";
      add += fmt::format("\n\n## {}\n", title);
    }
    std::string item = fmt::format("{} ({}, confidence {}, seen {} times): {}", md_code(p.base.tool),
                                   md_code(category_name(p.base.category)), format_confidence(p.confidence),
                                   p.observations, md_inline(first_sentence(p.base.root_cause, kContextCause)));
    if (std::string action = clip_text(first_action(p), kContextAction); !action.empty()) {
      if (action.back() != '.' && action.back() != '!' && action.back() != '?') action += '.';
      item += " Instead: " + md_inline(action);
    }
    add += "\n" + md_wrap(item, "- ", "  ");
    if (text.size() + add.size() + reserve > max_bytes) break;
    text += add;
    group = p.level;
    ++shown;
  }
  return text + closing(d.patterns.size() - shown, max_bytes);
}

}  // namespace pat
