#pragma once
// Similar files written again and again (Write calls within a window of time): each group of
// 3 or more becomes a file_template candidate whose template is the files' content with the
// varying parts marked <*>. Files are similar when most of their lines are the same, or when
// they have the same lines in the same order, most of them equal or differing in a few words.
// Memory is bounded: a few recent files per extension wait for similar ones.
#include <memory>
#include <vector>

#include "records/candidate.hpp"
#include "records/event.hpp"
#include "util/time_format.hpp"

namespace pat {

class WrittenFiles {
public:
  WrittenFiles(double window_hours, std::size_t min_occurrences, std::size_t max_examples);
  ~WrittenFiles();
  WrittenFiles(const WrittenFiles&) = delete;
  WrittenFiles& operator=(const WrittenFiles&) = delete;

  // A successful Write at time t (its file_path and content); other events are ignored.
  void add(const Event& e, TimePoint t);
  // Appends the candidates of the groups formed.
  void candidates(std::vector<Candidate>& out) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pat
