#pragma once
// Timestamps in records are RFC 3339 UTC with milliseconds: 2026-02-25T16:09:44.068Z.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pat {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::milliseconds>;

std::string format_rfc3339(TimePoint t);

// The time every tool takes as now: the clock, or $PAT_NOW when it is set (an RFC 3339 time or
// epoch seconds), so that a run can be replayed at the time it happened and its output compared
// byte for byte. A PAT_NOW that is not a time: pat::Error(config).
TimePoint now();
std::string now_rfc3339();

// Accepts RFC 3339 / ISO 8601 ("2026-02-25T16:09:44.068405", "...Z", "...+02:00", a space for
// the T) and Unix epoch seconds or milliseconds; a time without zone is taken as UTC.
std::optional<TimePoint> parse_time(std::string_view text);
std::optional<TimePoint> parse_epoch(double value);

// A number of hours (a fraction too) as milliseconds, rounded.
std::chrono::milliseconds from_hours(double hours);

// A duration such as "30d", "12h", "90m", "45s", "2w" or "1500ms"; nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// Normalised form of any accepted time, or nullopt.
std::optional<std::string> normalize_time(std::string_view text);

}  // namespace pat
