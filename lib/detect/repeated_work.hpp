#pragma once
// Repeated work worth automating (candidate records, man 5 pattools-records):
//  - repeated_execution: 3+ similar successful executions within 30 days: same tool or
//    operation kind, same shape of input. Signature such as "test:pytest:backend"; invariants
//    (input fields equal in every occurrence), variables (fields that vary, with a few values);
//    estimated savings from the recorded durations.
//  - file_template: 3+ similar files written (Write) within 24 hours; the template is the
//    content with the varying parts marked <*>.
//  - anti_pattern: the same failure template recurring 3+ times.
// Memory grows with the number of distinct signatures, not with the number of events.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "records/candidate.hpp"
#include "records/event.hpp"

namespace pat {

struct RepeatedWorkOptions {
  std::size_t min_occurrences = 3;
  double execution_window_days = 30;
  double file_window_hours = 24;
  std::size_t max_examples = 5;
};

class RepeatedWork {
public:
  explicit RepeatedWork(RepeatedWorkOptions options = {});
  ~RepeatedWork();
  RepeatedWork(const RepeatedWork&) = delete;
  RepeatedWork& operator=(const RepeatedWork&) = delete;

  void add_success(const Event& e);
  // A failure that is a usage mistake or another error, with its template (error_template.hpp).
  void add_failure(const Event& e, const std::string& template_text);

  // The candidates over the thresholds, in a stable order (by type, then signature); ids are
  // content hashes of type, signature and example event ids, so the same events give the same ids.
  std::vector<Candidate> candidates() const;

  // The operation signature of a successful execution, e.g. "test:pytest:backend",
  // "build:npm:run-build", "edit:Edit:py". Empty when the event is not an execution.
  static std::string signature(const Event& e);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pat
