#pragma once
// Evaluating and comparing mistakes in the unit tests, from their JSON.
#include <optional>
#include <string>

#include "mistake/call_check.hpp"
#include "mistake/check.hpp"
#include "mistake/describe.hpp"
#include "mistake/mistake_merge.hpp"

namespace pat_test {

// A context that knows nothing: session and path predicates cannot be judged.
class NoContext : public pat::CheckContext {
public:
  std::optional<bool> session_ran(const pat::SessionLacks&, const pat::CallView&) override { return std::nullopt; }
  std::optional<pat::PathState> path_state(const std::string&, const pat::CallView&) override { return std::nullopt; }
};

// Whether the mistake's check matches a call with this input (no session, no files).
inline bool input_matches(const pat::json& mistake, const pat::json& input) {
  const auto check = pat::check_from_json(mistake);
  if (!check) return false;
  NoContext none;
  return pat::matches(*check, pat::CallView(input), none);
}

inline double mistake_similarity(const pat::json& a, const pat::json& b) {
  const auto ca = pat::check_from_json(a), cb = pat::check_from_json(b);
  return ca && cb ? pat::check_similarity(*ca, *cb) : 0.0;
}

inline std::string describe_mistake(const pat::json& mistake) {
  const auto c = pat::check_from_json(mistake);
  return c ? pat::describe_check(*c) : "an unrecognised mistake";
}

}  // namespace pat_test
