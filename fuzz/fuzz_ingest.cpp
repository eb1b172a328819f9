// Reading and normalising input records (ingest/ingestor.hpp) on any bytes, without a store: as
// one hook payload (patlog --hook) and as a whole input file (JSONL, a JSON array or documents, a
// text log) of hook payloads, transcript records or execution records. Bad input is rejected, never
// a failure, and every event written is a record the other tools read back as it was written.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "harness.hpp"
#include "ingest/ingestor.hpp"
#include "records/event.hpp"
#include "util/error.hpp"

namespace {

using pat_fuzz::require;

constexpr const char* kReceivedAt = "2026-01-02T03:04:05.678Z";

// Limits far below the defaults, so that inputs of a few kilobytes also reach the paths of
// records over a limit.
pat::IngestOptions options(bool hook_mode) {
  pat::IngestOptions o;
  o.hook_mode = hook_mode;
  o.limits.max_depth = 64;
  o.limits.max_line_bytes = 2048;
  o.limits.max_document_bytes = 16384;
  o.keep_bytes = 512;
  return o;
}

// Every line written is an event record that parses cleanly and reads back to the same record.
void check_events(const std::string& written) {
  std::size_t begin = 0;
  while (begin < written.size()) {
    const std::size_t end = written.find('\n', begin);
    require(end != std::string::npos, "an event record without its newline");
    const std::string_view line = std::string_view(written).substr(begin, end - begin);
    begin = end + 1;
    const pat::ParsedJson parsed = pat::parse_json(line, pat::JsonLimits{});
    require(parsed.ok && !parsed.repaired_utf8, "an event record that is not clean JSON: " + parsed.error);
    try {
      require(pat::to_json(pat::event_from_json(parsed.value)) == parsed.value,
              "an event record that reads back changed");
    } catch (const pat::Error& e) {
      pat_fuzz::fail(std::string("an event record the tools refuse: ") + e.what() + ": " + std::string(line));
    }
  }
}

// One reader per mode for the whole run, as patlog reads all its inputs with one: an input
// leaves nothing behind but counts.
class Reader {
public:
  Reader(bool hook_mode, const pat::Redactor& redactor)
      : hook_mode_(hook_mode),
        out_(written_.fd()),
        ingestor_(options(hook_mode), nullptr, &redactor, &out_, nullptr, diag_) {}

  // The events written for `bytes`, read as one payload (patlog --hook) or as a file.
  std::string events(std::string_view bytes) {
    written_.assign("");
    if (hook_mode_) {
      ingestor_.ingest_payload(bytes, "<stdin>", kReceivedAt, pat::RecordKind::unknown);
    } else {
      input_.assign(bytes);
      pat::InputFile in(input_.fd(), "input", false);
      ingestor_.ingest(in);
    }
    ingestor_.finish();
    return written_.contents();
  }

private:
  bool hook_mode_;
  pat::Diagnostics diag_{"patlog"};
  pat_fuzz::MemoryFile input_, written_;
  pat::Output out_;
  pat::Ingestor ingestor_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const pat::Redactor redactor = [] {
    pat_fuzz::quiet_library_messages();
    // Times the input lacks are taken from the clock: a fixed one keeps runs repeatable.
    ::setenv("PAT_NOW", kReceivedAt, 1);
    return pat::Redactor::built_in();
  }();
  static Reader payload_reader(true, redactor), file_reader(false, redactor);
  const std::string_view bytes = pat_fuzz::as_text(data, size);
  check_events(payload_reader.events(bytes));
  check_events(file_reader.events(bytes));
  return 0;
}
