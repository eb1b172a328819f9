#pragma once
// patreport's JSON (--format json): one object per report holding the numbers of its Markdown,
// with full ids and unrounded counts. Keys come sorted (nlohmann's default), lists in the
// reports' order, so that the same store and the same --now give the same bytes.
#include <string>

#include "report/report_data.hpp"
#include "util/json_parse.hpp"

namespace pat {

json dashboard_json(const DashboardData& d, const ReportOptions& o);
json context_json(const ContextData& d);
json weekly_json(const WeeklyData& d, const ReportOptions& o);
json candidates_json(const CandidatesData& d, const ReportOptions& o);

// The Claude Code SessionStart hook output carrying `context` as additionalContext.
json session_start_output(const std::string& context);

// A report as written: indented by 2, one newline at the end.
std::string report_text(const json& j);

}  // namespace pat
