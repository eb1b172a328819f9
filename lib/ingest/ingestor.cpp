#include "ingest/ingestor.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>

#include <fmt/format.h>

#include "ingest/session_clock.hpp"
#include "util/content_hash.hpp"
#include "util/json_scan.hpp"
#include "util/text.hpp"
#include "util/time_format.hpp"
#include "util/utf8.hpp"

namespace pat {

// How many times each 64-bit content hash has been seen: an open-addressing table, because a
// bulk ingest asks it once per event and a node-based map costs a tenth of the run.
class CopyCounter {
public:
  // Counts one more sighting of `key`; returns how many there have been, this one included.
  std::uint32_t count(std::uint64_t key) {
    if (key == 0) key = 1;  // 0 marks an empty slot
    if ((used_ + 1) * 2 > keys_.size()) grow();
    std::size_t i = slot(key);
    while (keys_[i] != 0 && keys_[i] != key) i = (i + 1) & (keys_.size() - 1);
    if (keys_[i] == 0) {
      keys_[i] = key;
      ++used_;
    }
    return ++counts_[i];
  }

private:
  std::size_t slot(std::uint64_t key) const { return static_cast<std::size_t>(key * 0x9E3779B97F4A7C15ULL >> shift_); }
  void grow() {
    std::vector<std::uint64_t> old_keys = std::move(keys_);
    std::vector<std::uint32_t> old_counts = std::move(counts_);
    const std::size_t size = old_keys.empty() ? 1024 : old_keys.size() * 2;
    keys_.assign(size, 0);
    counts_.assign(size, 0);
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(size));
    for (std::size_t j = 0; j < old_keys.size(); ++j) {
      if (old_keys[j] == 0) continue;
      std::size_t i = slot(old_keys[j]);
      while (keys_[i] != 0) i = (i + 1) & (size - 1);
      keys_[i] = old_keys[j];
      counts_[i] = old_counts[j];
    }
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> counts_;
  std::size_t used_ = 0;
  unsigned shift_ = 54;
};

struct Ingestor::Context {
  std::string name;
  RecordKind kind = RecordKind::unknown;
  std::string received_at;
  TranscriptPairer pairer;
  // Identical records in one input (the same notification twice) are distinct events: the n-th
  // copy's id is salted with n, so re-reading the same input still yields the same ids.
  CopyCounter copies;
  bool following = false;  // a transcript read through --follow-transcript
  // A hook payload received at a known time (stdin in --hook mode, or the spool): each is a
  // distinct real event, so the time it arrived is part of its content.
  bool received_time_is_content = false;
  // A batch read: events without a time take their session's (session_clock.hpp).
  std::optional<SessionClock> clock;
};

namespace {

std::string_view skip_bom_and_space(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && is_json_space(s.front())) s.remove_prefix(1);
  return s;
}

std::size_t count_lines(std::string_view s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

Ingestor::Ingestor(IngestOptions options, StoreWriter* store, const Redactor* redactor, Output* out,
                   std::ostream* rejects_file, Diagnostics& diag)
    : options_(options), store_(store), redactor_(redactor), out_(out), rejects_file_(rejects_file), diag_(diag) {}

Ingestor::~Ingestor() = default;

void Ingestor::finish() {
  progress_.finish();
  if (store_) store_->flush();
  if (out_) out_->flush();
}

IngestStats Ingestor::stats() const {
  IngestStats s = stats_;
  if (store_) {
    const StoreCounts c = store_->counts();
    s.stored = c.stored;
    s.duplicates = c.duplicates;
    s.merged = c.merged;
  }
  return s;
}

void Ingestor::reject(const Context& ctx, std::size_t line, const std::string& reason, std::string_view raw_bytes,
                      bool repaired) {
  // Kept byte for byte, except that secrets are masked here too: nothing is stored unredacted.
  std::string raw(raw_bytes);
  if (redactor_) redactor_->redact(raw);
  if (repaired) {
    ++stats_.repaired;
    diag_.warning_at(ctx.name, line, reason);
  } else {
    ++stats_.rejected;
    diag_.error_at(ctx.name, line, reason);
  }
  if (store_)
    store_->add_reject(
        Reject{ctx.name, static_cast<std::int64_t>(line), reason, repaired ? "repaired" : "rejected", raw});
  if (rejects_file_ && !repaired) {
    rejects_file_->write(raw.data(), static_cast<std::streamsize>(raw.size()));
    rejects_file_->put('\n');
  }
}

void Ingestor::emit(Event&& e, Context& ctx) {
  if (ctx.clock) return ctx.clock->put(std::move(e), [&](Event&& timed) { store_event(std::move(timed), ctx); });
  store_event(std::move(e), ctx);
}

void Ingestor::store_event(Event&& e, Context& ctx) {
  if (e.ts.empty()) {
    e.ts = ctx.received_at;
    e.ts_from_input = false;
  }
  if (redactor_) {
    redactor_->redact(e.input);
    redactor_->redact(e.error);
    redactor_->redact(e.extra);
  }
  // The id is a hash of the content. A time that only says when patlog read the record is not
  // content, except in --hook mode, where each invocation is a distinct real event.
  e.id.clear();
  SerializedEvent ser;
  serialize_event(e, e.ts_from_input || options_.hook_mode || ctx.received_time_is_content, ser);
  const Hash128 h = hash128(ser.content);
  const std::uint32_t copy = ctx.copies.count(h.high);
  e.id = copy == 1 ? to_hex(h) : content_hash(ser.content + fmt::format("\n#{}", copy));
  set_serialized_id(ser, e.id);
  ++stats_.events;
  if (ctx.following) ++stats_.transcript_events;
  if (!options_.hook_mode) progress_.update(stats_.events, input_offset_, input_size_);
  if (out_ && options_.write_output) out_->write_line(ser.record);
  if (store_) store_->add_event(std::move(e), std::move(ser.details));
}

bool Ingestor::stopped() const {
  // With no store, a reader that has gone away leaves nothing more to do.
  return !store_ && out_ && out_->closed();
}

void Ingestor::handle_record(json& value, std::size_t line, std::uint64_t offset, Context& ctx) {
  RecordKind kind = ctx.kind;
  if (kind == RecordKind::unknown) {
    kind = classify_record(value);
    if (kind == RecordKind::unknown) {
      reject(ctx, line,
             "not a record patlog knows: expected a hook payload (hook_event_name), a transcript record "
             "(type, sessionId) or an execution record (command, tool or tool_name)",
             dump_json(value));
      return;
    }
    ctx.kind = kind;  // the first recognised record decides for the whole input
  }
  switch (kind) {
    case RecordKind::hook: {
      Normalized n = normalize_hook_payload(value, ctx.received_at);
      if (!n.event) {
        reject(ctx, line, n.error + " (this input holds hook payloads)", dump_json(value));
        return;
      }
      std::string transcript, agent_transcript;
      const bool session_ended = n.event->event == "SessionEnd";
      if (session_ended) ++stats_.sessions_ended;
      if (options_.follow_transcript) {
        if (const auto it = n.event->extra.find("transcript_path"); it != n.event->extra.end() && it->is_string())
          transcript = it->get<std::string>();
        if (const auto it = n.event->extra.find("agent_transcript_path"); it != n.event->extra.end() && it->is_string())
          agent_transcript = it->get<std::string>();
      }
      emit(std::move(*n.event), ctx);
      if (!transcript.empty()) follow(transcript, session_ended);
      if (!agent_transcript.empty()) follow(agent_transcript, true);  // SubagentStop: that agent is done
      return;
    }
    case RecordKind::generic: {
      Normalized n = normalize_generic_record(value, ctx.received_at);
      if (!n.event) {
        reject(ctx, line, n.error, dump_json(value));
        return;
      }
      emit(std::move(*n.event), ctx);
      return;
    }
    case RecordKind::transcript: {
      std::string error;
      auto events = ctx.pairer.feed(value, offset, error);
      if (!error.empty()) {
        reject(ctx, line, error, dump_json(value));
        return;
      }
      for (auto& e : events) emit(std::move(e), ctx);
      return;
    }
    case RecordKind::text: emit(normalize_log_entry(dump_json(value), ctx.received_at), ctx); return;
    case RecordKind::unknown: break;
  }
}

void Ingestor::handle_json_text(std::string_view text, std::size_t line, std::uint64_t offset, Context& ctx) {
  if (!ctx.following) input_offset_ = offset;
  if (text.size() > options_.limits.max_line_bytes) {
    reject(ctx, line,
           fmt::format("record of {} bytes exceeds the limit of {} (--max-line)", text.size(),
                       options_.limits.max_line_bytes),
           text);
    return;
  }
  ParsedJson p = parse_json(text, options_.limits);
  if (!p.ok) {
    reject(ctx, line, "malformed JSON: " + p.error, text);
    return;
  }
  if (p.repaired_utf8)
    reject(ctx, line,
           is_valid_utf8(text) ? "unpaired UTF-16 surrogate escape replaced by \\ufffd; the original is kept"
                               : "invalid UTF-8 replaced by U+FFFD; the original bytes are kept",
           text, true);
  handle_record(p.value, line, offset, ctx);
}

void Ingestor::ingest_lines(LineReader& reader, Context& ctx) {
  InputLine line;
  while (!stopped() && reader.next(line)) {
    if (line.too_long) {
      reject(ctx, line.number,
             fmt::format("line of {} bytes exceeds the limit of {} (--max-line){}", line.length,
                         options_.limits.max_line_bytes,
                         line.length > line.text.size() ? fmt::format("; its first {} bytes are kept", line.text.size())
                                                        : std::string()),
             line.text);
      continue;
    }
    if (skip_bom_and_space(line.text).empty()) continue;
    if (!line.terminated && line.number > 1 &&
        scan_json_value(line.text, 0, options_.limits.max_depth).status == ScannedValue::Status::incomplete) {
      reject(ctx, line.number, "truncated line at end of input (no newline, JSON cut off)", line.text);
      continue;
    }
    handle_json_text(line.text, line.number, line.offset, ctx);
  }
}

void Ingestor::ingest_text_log(LineReader& reader, Context& ctx, bool timestamped) {
  // In a timestamped log an entry starts with a timestamp and lines without one continue the
  // entry before them; otherwise every line is an entry.
  std::string entry;
  std::size_t entry_line = 0;
  auto flush_entry = [&] {
    if (entry_line == 0) return;
    while (!entry.empty() && (entry.back() == '\n' || entry.back() == '\r')) entry.pop_back();
    if (!is_valid_utf8(entry)) {
      reject(ctx, entry_line, "invalid UTF-8 replaced by U+FFFD; the original bytes are kept", entry, true);
      entry = repair_utf8(entry);
    }
    emit(normalize_log_entry(entry, ctx.received_at), ctx);
    entry.clear();
    entry_line = 0;
  };
  InputLine line;
  while (reader.next(line)) {
    if (line.too_long) {
      flush_entry();
      reject(ctx, line.number,
             fmt::format("line of {} bytes exceeds the limit of {} (--max-line)", line.length,
                         options_.limits.max_line_bytes),
             line.text);
      continue;
    }
    if (stopped()) break;
    if (!timestamped || entry_line == 0 || log_line_time(line.text).has_value()) {
      flush_entry();
      entry_line = line.number;
    } else {
      entry += '\n';
    }
    entry.append(line.text);
  }
  flush_entry();
}

void Ingestor::ingest_document(std::string_view text, std::size_t first_line, Context& ctx) {
  std::size_t line = first_line;
  std::size_t pos = 0;
  while (true) {
    std::size_t start = pos;
    while (start < text.size() && is_json_space(text[start])) ++start;
    line += count_lines(text.substr(pos, start - pos));
    if (start >= text.size()) break;
    if (text[start] == '[') {
      const ScannedValue whole = scan_json_value(text, start, static_cast<std::size_t>(-1));
      auto elements = split_json_array(text, start, line);
      for (const auto& el : elements) {
        if (stopped()) return;
        const std::string_view raw = text.substr(el.begin, el.end - el.begin);
        if (!el.complete) {
          reject(ctx, el.line, "truncated JSON array: the input ends inside this element", raw);
          break;
        }
        handle_json_text(raw, el.line, el.begin, ctx);
      }
      if (whole.status == ScannedValue::Status::incomplete && (elements.empty() || elements.back().complete)) {
        const std::string_view rest = text.substr(start);
        reject(ctx, line, "truncated JSON array: no closing ]", elements.empty() ? rest : std::string_view());
      }
      std::size_t end = whole.status == ScannedValue::Status::incomplete ? text.size() : whole.end;
      // A stray } can end the bracket count before the elements do: never read an element twice.
      if (!elements.empty() && elements.back().end > end) {
        end = elements.back().end;
        while (end < text.size() && is_json_space(text[end])) ++end;
        if (end < text.size() && text[end] == ']') ++end;
      }
      line += count_lines(text.substr(start, end - start));
      pos = end;
      continue;
    }
    const ScannedValue v = scan_json_value(text, start, static_cast<std::size_t>(-1));
    const std::string_view raw = text.substr(start, v.end - start);
    if (v.status == ScannedValue::Status::incomplete) {
      reject(ctx, line, "truncated JSON: the input ends inside this value", raw);
      break;
    }
    handle_json_text(raw, line, start, ctx);
    line += count_lines(raw);
    pos = v.end;
  }
}

void Ingestor::end_of_input(Context& ctx) {
  stats_.skipped += ctx.pairer.skipped();
  if (!ctx.following)
    for (auto& e : ctx.pairer.drain_pending()) emit(std::move(e), ctx);
  if (ctx.clock) ctx.clock->flush([&](Event&& e) { store_event(std::move(e), ctx); });
}

void Ingestor::ingest(InputFile& in) {
  Context ctx;
  ctx.name = in.name();
  ctx.kind = options_.format;
  ctx.received_at = now_rfc3339();
  if (!options_.hook_mode) ctx.clock.emplace(ctx.received_at);
  LineReader reader(in, options_.limits.max_line_bytes, options_.keep_bytes);
  struct stat st {};
  input_offset_ = 0;
  input_size_ = ::fstat(in.fd(), &st) == 0 && S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
  // The shape of the input is decided on its whole first line (as far as --max-line): a JSONL
  // file whose first line is long must not be taken for one multi-line document.
  std::size_t want = 4096;
  std::string_view head = reader.peek(want);
  while (head.size() == want && skip_bom_and_space(head).find('\n') == std::string_view::npos &&
         want <= options_.limits.max_line_bytes) {
    want *= 4;
    head = reader.peek(want);
  }
  const std::string_view start = skip_bom_and_space(head);
  if (start.empty() && head.size() < want) {
    diag_.warning(fmt::format("{}: empty input, nothing to ingest", ctx.name));
    return;
  }
  const std::string_view first_line = start.substr(0, start.find('\n'));
  const bool timestamped = log_line_time(first_line).has_value();
  if (options_.format == RecordKind::text || (options_.format == RecordKind::unknown && timestamped)) {
    ctx.kind = RecordKind::text;
    ingest_text_log(reader, ctx, timestamped);
  } else if (!start.empty() &&
             (start.front() == '[' ||
              (start.front() == '{' && scan_json_value(first_line, 0, static_cast<std::size_t>(-1)).status !=
                                           ScannedValue::Status::complete))) {
    // A JSON array, or objects spread over several lines: the document is read whole.
    std::string doc;
    std::uint64_t total = 0;
    if (!reader.read_rest(doc, options_.limits.max_document_bytes, total)) {
      const std::string_view kept = std::string_view(doc).substr(0, options_.keep_bytes);
      reject(ctx, 1,
             fmt::format("JSON document over the limit of {} bytes (--max-document); its first {} bytes are "
                         "kept and the rest of the input is not read",
                         options_.limits.max_document_bytes, kept.size()),
             kept);
    } else {
      ingest_document(doc, 1, ctx);
    }
  } else {
    ingest_lines(reader, ctx);
  }
  end_of_input(ctx);
}

void Ingestor::ingest_payload(std::string_view bytes, const std::string& name, const std::string& received_at,
                              RecordKind kind) {
  Context ctx;
  ctx.name = name;
  ctx.kind = kind;
  ctx.received_at = received_at;
  ctx.received_time_is_content = true;
  const std::string_view text = skip_bom_and_space(bytes);
  if (text.empty()) {
    reject(ctx, 1, "empty hook payload (expected one JSON object on stdin)", bytes);
    return;
  }
  // A payload is one JSON object (or, from a hook log, an array of them): anything else, such
  // as binary junk, is one rejected record, not one per fragment that looks like a value.
  if (text.front() != '{' && text.front() != '[') {
    reject(ctx, 1, "not a hook payload: expected one JSON object", bytes);
    return;
  }
  // A byte-order mark is accepted, as in files.
  const std::size_t bom = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  ingest_document(bytes.substr(bom), 1, ctx);
  end_of_input(ctx);
}

void Ingestor::follow(const std::string& path, bool session_ended) {
  if (follow_depth_ > 0) return;  // transcripts name no further transcripts
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;            // not on this machine (yet): nothing to follow
  InputFile in(fd, path, true);  // owns the descriptor from here on
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
  std::uint64_t offset = 0;
  if (store_) offset = store_->in_transaction().transcript_offset(path).value_or(0);
  if (offset > static_cast<std::uint64_t>(st.st_size)) offset = 0;  // truncated or replaced
  if (::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) return;
  Context ctx;
  ctx.name = path;
  ctx.kind = RecordKind::transcript;
  ctx.received_at = now_rfc3339();
  ctx.following = true;
  LineReader reader(in, options_.limits.max_line_bytes, options_.keep_bytes, offset);
  ++follow_depth_;
  // Line numbers here count from the offset where this read began.
  InputLine line;
  std::uint64_t consumed = offset;
  while (reader.next(line)) {
    if (!line.terminated) break;  // still being written: read it next time
    consumed = reader.offset();
    if (line.too_long) {
      reject(ctx, line.number,
             fmt::format("line of {} bytes exceeds the limit of {} (--max-line)", line.length,
                         options_.limits.max_line_bytes),
             line.text);
      continue;
    }
    if (skip_bom_and_space(line.text).empty()) continue;
    handle_json_text(line.text, line.number, line.offset, ctx);
  }
  // At the end of a session a call still waiting for its result will never get one (it was
  // interrupted): it is stored as it is. Otherwise it is read again next time, from its line.
  if (session_ended)
    for (auto& e : ctx.pairer.drain_pending()) emit(std::move(e), ctx);
  --follow_depth_;
  stats_.skipped += ctx.pairer.skipped();
  const std::uint64_t next = std::min(consumed, ctx.pairer.earliest_pending_offset().value_or(consumed));
  if (store_) store_->in_transaction().set_transcript_offset(path, next);
}

}  // namespace pat
