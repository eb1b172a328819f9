#pragma once
// Reading JSONL records (events, observations, patterns...) from files or standard input, the
// way every pattools filter does: "-" or no FILE is stdin; a line that is not valid JSON, is too
// long or too deep, or that the handler refuses, is reported as `tool: error (at FILE:LINE): …`,
// its raw bytes are kept (--rejects FILE), and the rest of the input is still read.
#include <cstddef>
#include <fstream>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "util/diagnostics.hpp"
#include "util/input_reader.hpp"
#include "util/json_parse.hpp"

namespace pat {

struct RecordSource {
  const std::string& name;  // "<stdin>" or the path as given
  std::size_t line;
};

// Opens FILE ("-" is stdin). A missing file or a directory is reported and gives null, and
// `missing` is set: the tools go on with their other inputs and exit 66 at the end.
std::unique_ptr<InputFile> open_input(const std::string& name, Diagnostics& diag, bool& missing);

// --rejects FILE, opened for appending; not open when `path` is empty. pat::Error(cant_create).
std::ofstream open_rejects_file(const std::string& path);

class RecordReader {
public:
  // `rejects` (may be null) receives the raw bytes of every rejected line, newline-terminated.
  RecordReader(Diagnostics& diag, JsonLimits limits, std::ostream* rejects);

  // The handler may throw pat::Error(data_error) to reject the record: its message is reported
  // with the line. A missing input is reported and skipped (missing_input() then says so).
  using Handler = std::function<void(json& record, const RecordSource& where)>;
  void read(const std::vector<std::string>& files, const Handler& handler);

  std::size_t records() const { return records_; }
  std::size_t rejected() const { return rejected_; }
  bool missing_input() const { return missing_; }
  // 0, 65 when a record was rejected, 66 when an input was missing.
  int exit_status() const;

private:
  void reject(const std::string& name, std::size_t line, std::string_view raw, const std::string& why);

  Diagnostics& diag_;
  JsonLimits limits_;
  std::ostream* rejects_;
  std::size_t records_ = 0, rejected_ = 0;
  bool missing_ = false;
};

}  // namespace pat
