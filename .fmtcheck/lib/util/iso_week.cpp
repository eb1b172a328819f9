#include "util/iso_week.hpp"

#include <chrono>

#include <fmt/format.h>

namespace pat {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

IsoWeek week_of_day(sys_days d) {
  const unsigned iso_day = std::chrono::weekday(d).iso_encoding();  // Monday 1 .. Sunday 7
  const sys_days monday = d - days(iso_day - 1);
  // The week belongs to the year of its Thursday.
  const sys_days thursday = monday + days(3);
  const std::chrono::year_month_day ymd(thursday);
  const sys_days jan1 = sys_days(ymd.year() / std::chrono::January / 1);
  IsoWeek w;
  w.year = static_cast<int>(ymd.year());
  w.week = static_cast<int>((thursday - jan1).count() / 7 + 1);
  w.monday = monday.time_since_epoch().count();
  return w;
}

}  // namespace

IsoWeek iso_week_of(TimePoint t) { return week_of_day(std::chrono::floor<days>(t)); }

std::string IsoWeek::label() const { return fmt::format("{:04}-W{:02}", year, week); }

std::string IsoWeek::starts() const { return civil_date(monday); }

TimePoint IsoWeek::start() const { return TimePoint(sys_days(days(monday)).time_since_epoch()); }

IsoWeek IsoWeek::previous() const { return week_of_day(sys_days(days(monday - 7))); }

std::string civil_date(std::int64_t d) {
  const std::chrono::year_month_day ymd{sys_days(days(d))};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

}  // namespace pat
