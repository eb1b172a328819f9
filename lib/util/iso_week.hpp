#pragma once
// ISO 8601 weeks (Monday to Sunday, week 1 holds the year's first Thursday), in UTC: the weekly
// trend of patreport groups events by them, so that a week means the same thing to every reader
// of the report whatever their time zone.
#include <cstdint>
#include <string>

#include "util/time_format.hpp"

namespace pat {

struct IsoWeek {
  int year = 0;             // the ISO year, which differs from the calendar year near New Year
  int week = 0;             // 1..53
  std::int64_t monday = 0;  // days from 1970-01-01 to the week's Monday

  std::string label() const;   // "2026-W47"
  std::string starts() const;  // the Monday as "2026-11-16"
  TimePoint start() const;     // the Monday at 00:00 UTC
  IsoWeek previous() const;
};

IsoWeek iso_week_of(TimePoint t);

// A day (days from 1970-01-01) as "YYYY-MM-DD".
std::string civil_date(std::int64_t days);

}  // namespace pat
