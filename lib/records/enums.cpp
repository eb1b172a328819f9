#include "records/enums.hpp"

#include <array>
#include <cstddef>

namespace pat {
namespace {

template <typename E, std::size_t N>
std::optional<E> parse_name(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

// In the order of the enumerators.
constexpr std::array<std::string_view, 4> kCategories = {"PARAMETER_FORMAT", "INCORRECT_PARAMETER", "WORKFLOW_SEQUENCE",
                                                         "MISSING_PREREQUISITE"};
constexpr std::array<std::string_view, 4> kLevels = {"low", "medium", "high", "critical"};
constexpr std::array<std::string_view, 3> kOutcomes = {"unknown", "success", "failure"};
constexpr std::array<std::string_view, 3> kDecisions = {"allow", "warn", "block"};
constexpr std::array<std::string_view, 2> kStatuses = {"active", "archived"};

}  // namespace

std::string_view category_name(Category c) { return kCategories[static_cast<std::size_t>(c)]; }
std::optional<Category> parse_category(std::string_view name) { return parse_name<Category>(kCategories, name); }

std::string_view level_name(Level l) { return kLevels[static_cast<std::size_t>(l)]; }
std::optional<Level> parse_level(std::string_view name) { return parse_name<Level>(kLevels, name); }

Level level_for(double confidence, const LevelThresholds& t) {
  if (confidence >= t.critical) return Level::critical;
  if (confidence >= t.high) return Level::high;
  if (confidence >= t.medium) return Level::medium;
  return Level::low;
}

std::string_view outcome_name(Outcome o) { return kOutcomes[static_cast<std::size_t>(o)]; }
std::optional<Outcome> parse_outcome(std::string_view name) { return parse_name<Outcome>(kOutcomes, name); }

std::string_view decision_name(Decision d) { return kDecisions[static_cast<std::size_t>(d)]; }
std::optional<Decision> parse_decision(std::string_view name) { return parse_name<Decision>(kDecisions, name); }

std::string_view status_name(PatternStatus s) { return kStatuses[static_cast<std::size_t>(s)]; }
std::optional<PatternStatus> parse_status(std::string_view name) { return parse_name<PatternStatus>(kStatuses, name); }

}  // namespace pat
