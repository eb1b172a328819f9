#pragma once
// What patdetect decided about one failed call: its failure class (a usage-mistake category, or
// network, auth, ..., unclassified) and its error template. Kept in the store, so that the
// reports and patcheck's feedback read the decision instead of judging the failure again with
// rules that may differ.
#include <string>

namespace pat {

struct FailureDecision {
  std::string event;  // the failed event's id
  std::string failure_class;
  bool usage_mistake = false;
  std::string template_text;
};

}  // namespace pat
