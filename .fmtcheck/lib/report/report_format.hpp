#pragma once
// How patreport writes numbers in text: the same helpers for Markdown and for the text of
// recommendations, so that a number reads the same everywhere. Numbers compared with a
// threshold are never rounded up past it: 0.9499 is "0.9499", not "0.95", and a rate of
// 79.96 % reads "79.9 %", under 80 %.
#include <cstdint>
#include <optional>
#include <string>

namespace pat {

// A confidence with 2 to 4 decimals: "0.95", "0.7056", "0.50".
std::string format_confidence(double c);

// A share as a percentage with one decimal, rounded down: "50.0 %"; "n/a" for none.
std::string format_percent(std::optional<double> share);

// Milliseconds for people: "850 ms", "1.9 s", "4 min 12 s", "2 h 05 min".
std::string format_duration(std::int64_t ms);

// A rounding to 4 decimals, the precision of stored confidences, for JSON.
double round4(double v);

}  // namespace pat
