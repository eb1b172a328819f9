#include "records/record_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/input_reader.hpp"

namespace pat {

std::unique_ptr<InputFile> open_input(const std::string& name, Diagnostics& diag, bool& missing) {
  try {
    return std::make_unique<InputFile>(name);
  } catch (const Error& e) {
    if (e.code() != Exit::no_input) throw;
    diag.error(e.what());
    missing = true;
    return nullptr;
  }
}

std::ofstream open_rejects_file(const std::string& path) {
  std::ofstream out;
  if (path.empty()) return out;
  // Created 0600 whatever the umask: rejected input is raw input, however redacted.
  if (const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
  out.open(path, std::ios::binary | std::ios::app);
  if (!out) throw Error(Exit::cant_create, fmt::format("cannot open {} for rejected input", path));
  return out;
}

RecordReader::RecordReader(Diagnostics& diag, JsonLimits limits, std::ostream* rejects)
    : diag_(diag), limits_(limits), rejects_(rejects) {}

void RecordReader::reject(const std::string& name, std::size_t line, std::string_view raw, const std::string& why) {
  ++rejected_;
  diag_.error_at(name, line, why);
  if (rejects_) {
    rejects_->write(raw.data(), static_cast<std::streamsize>(raw.size()));
    rejects_->put('\n');
    if (!*rejects_) throw Error(Exit::io_error, "write error on the rejects file");
  }
}

void RecordReader::read(const std::vector<std::string>& files, const Handler& handler) {
  constexpr std::size_t kKeepBytes = 16u << 20;  // most bytes of one over-long line kept
  for (const auto& f : files.empty() ? std::vector<std::string>{"-"} : files) {
    const auto in = open_input(f, diag_, missing_);
    if (!in) continue;
    LineReader reader(*in, limits_.max_line_bytes, kKeepBytes);
    InputLine line;
    while (reader.next(line)) {
      if (line.too_long) {
        reject(
            in->name(), line.number, line.text,
            fmt::format("line of {} bytes is longer than the limit of {} bytes", line.length, limits_.max_line_bytes));
        continue;
      }
      if (line.text.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // blank
      ParsedJson parsed = parse_json(line.text, limits_);
      if (!parsed.ok) {
        reject(in->name(), line.number, line.text, parsed.error);
        continue;
      }
      try {
        handler(parsed.value, RecordSource{in->name(), line.number});
        ++records_;
      } catch (const Error& e) {
        if (e.code() != Exit::data_error) throw;
        reject(in->name(), line.number, line.text, e.what());
      }
    }
  }
}

int RecordReader::exit_status() const {
  if (missing_) return static_cast<int>(Exit::no_input);
  return rejected_ > 0 ? static_cast<int>(Exit::data_error) : 0;
}

}  // namespace pat
