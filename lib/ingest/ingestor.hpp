#pragma once
// patlog's work: read inputs of any supported shape, normalise every record to an event,
// redact it, give it its content id, store it and write it out. Bad records are reported with
// file and line, kept byte for byte, and the rest of the input goes on.
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>

#include "ingest/generic_record.hpp"
#include "ingest/hook_payload.hpp"
#include "ingest/record_kind.hpp"
#include "ingest/redact.hpp"
#include "ingest/text_log.hpp"
#include "ingest/transcript.hpp"
#include "store/store_writer.hpp"
#include "util/diagnostics.hpp"
#include "util/input_reader.hpp"
#include "util/output.hpp"
#include "util/progress.hpp"

namespace pat {

struct IngestOptions {
  RecordKind format = RecordKind::unknown;  // unknown: detect per input
  bool hook_mode = false;                   // ids include the time received; no output
  bool follow_transcript = false;           // also read the transcripts that hook events name
  bool write_output = true;
  JsonLimits limits;
  std::size_t keep_bytes = 128u << 20;  // most bytes kept of one rejected line
};

struct IngestStats {
  std::uint64_t events = 0;             // events produced
  std::uint64_t stored = 0;             // new rows in the store
  std::uint64_t duplicates = 0;         // already stored (same id, or same call from another source)
  std::uint64_t merged = 0;             // a stored call completed with model and tokens
  std::uint64_t rejected = 0;           // records that could not be used (kept in rejects)
  std::uint64_t repaired = 0;           // records stored after invalid UTF-8 was replaced
  std::uint64_t skipped = 0;            // valid records that hold no event (transcript bookkeeping)
  std::uint64_t transcript_events = 0;  // of `events`, read through --follow-transcript
  std::uint64_t sessions_ended = 0;     // hook payloads of a session's end (SessionEnd)
};

class Ingestor {
public:
  // `store`, `redactor`, `out` and `rejects_file` may each be null. --follow-transcript needs an
  // inline (not threaded) writer.
  Ingestor(IngestOptions options, StoreWriter* store, const Redactor* redactor, Output* out, std::ostream* rejects_file,
           Diagnostics& diag);
  ~Ingestor();

  // A whole input: JSONL, a JSON array, one (pretty-printed) object or several, or a text log.
  void ingest(InputFile& in);
  // One payload already read, e.g. from stdin in --hook mode (kind: the --format given) or from
  // the spool (kind: hook).
  void ingest_payload(std::string_view bytes, const std::string& name, const std::string& received_at, RecordKind kind);
  // Commits what is pending in the store.
  void finish();

  IngestStats stats() const;

private:
  struct Context;
  void ingest_lines(LineReader& reader, Context& ctx);
  void ingest_text_log(LineReader& reader, Context& ctx, bool timestamped);
  bool stopped() const;
  void ingest_document(std::string_view text, std::size_t first_line, Context& ctx);
  void handle_json_text(std::string_view text, std::size_t line, std::uint64_t offset, Context& ctx);
  void handle_record(json& value, std::size_t line, std::uint64_t offset, Context& ctx);
  void emit(Event&& e, Context& ctx);         // through the session clock in a batch read
  void store_event(Event&& e, Context& ctx);  // ... then redacted, given its id, written
  void reject(const Context& ctx, std::size_t line, const std::string& reason, std::string_view raw,
              bool repaired = false);
  void follow(const std::string& transcript_path, bool session_ended);
  void end_of_input(Context& ctx);
  IngestOptions options_;
  StoreWriter* store_;
  const Redactor* redactor_;
  Output* out_;
  std::ostream* rejects_file_;
  Diagnostics& diag_;
  IngestStats stats_;
  int follow_depth_ = 0;
  Progress progress_{"patlog", "events"};
  std::uint64_t input_offset_ = 0, input_size_ = 0;  // for the progress line's ETA
};

}  // namespace pat
