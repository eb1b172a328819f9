#pragma once
// patreport's Markdown (man 1 patreport): the gathered numbers laid out for GitHub and for an
// agent's context. Output passes markdownlint with its default rules (line length aside in
// tables and code blocks): one blank line between blocks, prose wrapped at 80 columns, text from
// the store escaped (markdown_text.hpp).
#include <cstddef>
#include <string>

#include "report/report_data.hpp"

namespace pat {

// The level marker of reports: **CRITICAL**, **HIGH**, MEDIUM, LOW (plain text, so that it reads
// the same in a terminal, on GitHub and in an agent's context).
std::string level_marker(Level level);

std::string dashboard_markdown(const DashboardData& d, const ReportOptions& o);
std::string weekly_markdown(const WeeklyData& d, const ReportOptions& o);
std::string candidates_markdown(const CandidatesData& d, const ReportOptions& o);

// The context for the start of a session, never longer than `max_bytes` (patterns that would
// not fit are left out, and a last line says how many); empty when no pattern is listed and
// `empty_when_none`.
std::string context_markdown(const ContextData& d, std::size_t max_bytes, bool empty_when_none = false);

}  // namespace pat
