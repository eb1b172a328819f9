#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "ingest/generic_record.hpp"
#include "ingest/hook_payload.hpp"
#include "ingest/record_kind.hpp"
#include "ingest/text_log.hpp"
#include "ingest/transcript.hpp"

using pat::json;
using pat::RecordKind;

namespace {

const std::string kReceived = "2030-01-01T00:00:00.000Z";

// The first record of fixtures/claude-code/ice-hockey-game/post_tool_use_failure.json, verbatim.
const char* const kFailurePayload = R"JSON({
  "timestamp": "2026-04-20T21:21:52.252068",
  "session_id": "e791a149-a17b-4b24-b2d4-90d3c14e1a95",
  "hook_event_name": "PostToolUseFailure",
  "tool_name": "Bash",
  "tool_use_id": "toolu_01D1LEpKuC3N6wc7sRSBvXH7",
  "tool_input": {
    "command": "cd .playwright-cli && node audit.js 2>&1 | tail -300",
    "timeout": 300000,
    "description": "Run audit script"
  },
  "error": "Exit code 1\n/usr/bin/bash: line 1: cd: .playwright-cli: No such file or directory",
  "cwd": "C:\\Users\\noahm\\Project\\.playwright-cli",
  "permission_mode": "bypassPermissions",
  "transcript_path": "C:\\Users\\noahm\\.claude\\projects\\C--Users-noahm-Project\\e791a149-a17b-4b24-b2d4-90d3c14e1a95.jsonl",
  "raw_input": {
    "session_id": "e791a149-a17b-4b24-b2d4-90d3c14e1a95",
    "transcript_path": "C:\\Users\\noahm\\.claude\\projects\\C--Users-noahm-Project\\e791a149-a17b-4b24-b2d4-90d3c14e1a95.jsonl",
    "cwd": "C:\\Users\\noahm\\Project\\.playwright-cli",
    "permission_mode": "bypassPermissions",
    "hook_event_name": "PostToolUseFailure",
    "tool_name": "Bash",
    "tool_input": {
      "command": "cd .playwright-cli && node audit.js 2>&1 | tail -300",
      "timeout": 300000,
      "description": "Run audit script"
    },
    "tool_use_id": "toolu_01D1LEpKuC3N6wc7sRSBvXH7",
    "error": "Exit code 1\n/usr/bin/bash: line 1: cd: .playwright-cli: No such file or directory",
    "is_interrupt": false,
    "logged_at": "2026-04-20T21:21:52.252068"
  }
})JSON";

// A fixture file parsed the way patlog parses input (the real logs hold lone surrogate escapes).
json parse_fixture(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in, path.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  pat::JsonLimits limits;
  limits.max_line_bytes = text.size() + 1;
  const pat::ParsedJson p = pat::parse_json(text, limits);
  INFO(path.string(), ": ", p.error);
  REQUIRE(p.ok);
  return p.value;
}

// The normalizers move values out of the record they are given: each call gets its own copy.
pat::Event hook(json payload) {
  const pat::Normalized n = pat::normalize_hook_payload(payload, kReceived);
  REQUIRE_MESSAGE(n.error.empty(), n.error);
  REQUIRE(n.event.has_value());
  return *n.event;
}

pat::Event generic(json record) {
  const pat::Normalized n = pat::normalize_generic_record(record, kReceived);
  REQUIRE_MESSAGE(n.error.empty(), n.error);
  REQUIRE(n.event.has_value());
  return *n.event;
}

json assistant_with_tool_use(const std::string& message_id, const std::string& tool_use_id, const std::string& tool,
                             const std::string& ts) {
  return json{
      {"type", "assistant"},
      {"uuid", "u-" + tool_use_id},
      {"sessionId", "sess-1"},
      {"cwd", "/home/me/proj"},
      {"timestamp", ts},
      {"message",
       {{"id", message_id},
        {"role", "assistant"},
        {"model", "claude-opus-4-7"},
        {"content",
         json::array(
             {{{"type", "text"}, {"text", "Let me edit the file."}},
              {{"type", "tool_use"},
               {"id", tool_use_id},
               {"name", tool},
               {"input", {{"file_path", "/home/me/proj/a.txt"}, {"old_string", "foo"}, {"new_string", "bar"}}}}})},
        {"usage",
         {{"input_tokens", 10},
          {"output_tokens", 20},
          {"cache_read_input_tokens", 30},
          {"cache_creation_input_tokens", 40}}}}}};
}

json user_with_tool_result(const std::string& tool_use_id, bool is_error, const json& content, const std::string& ts) {
  return json{{"type", "user"},
              {"uuid", "r-" + tool_use_id},
              {"sessionId", "sess-1"},
              {"timestamp", ts},
              {"message",
               {{"role", "user"},
                {"content", json::array({{{"type", "tool_result"},
                                          {"tool_use_id", tool_use_id},
                                          {"is_error", is_error},
                                          {"content", content}}})}}}};
}

}  // namespace

TEST_SUITE("normalize") {
  // ---------------------------------------------------------------------------- classify_record

  TEST_CASE("classify_record: hook payloads have hook_event_name") {
    CHECK(pat::classify_record(json::parse(kFailurePayload)) == RecordKind::hook);
    CHECK(pat::classify_record(json{{"hook_event_name", "Stop"}}) == RecordKind::hook);
  }

  TEST_CASE("classify_record: transcript records have a type and transcript fields") {
    CHECK(pat::classify_record(assistant_with_tool_use("m", "t", "Edit", "2026-01-01T00:00:00Z")) ==
          RecordKind::transcript);
    CHECK(pat::classify_record(json{{"type", "summary"}, {"uuid", "x"}}) == RecordKind::transcript);
    CHECK(pat::classify_record(json{{"type", "user"}, {"sessionId", "s"}}) == RecordKind::transcript);
  }

  TEST_CASE("classify_record: execution records have command, tool or tool_name") {
    CHECK(pat::classify_record(json{{"command", "ls -la"}}) == RecordKind::generic);
    CHECK(pat::classify_record(json{{"tool", "grep"}}) == RecordKind::generic);
    CHECK(pat::classify_record(json{{"tool_name", "Read"}}) == RecordKind::generic);
  }

  TEST_CASE("classify_record: anything else is unknown") {
    CHECK(pat::classify_record(json{{"foo", 1}}) == RecordKind::unknown);
    CHECK(pat::classify_record(json{{"type", "lonely"}}) == RecordKind::unknown);
    CHECK(pat::classify_record(json{{"hook_event_name", 5}}) == RecordKind::unknown);
    CHECK(pat::classify_record(json::array({1, 2})) == RecordKind::unknown);
    CHECK(pat::classify_record(json("text")) == RecordKind::unknown);
    CHECK(pat::classify_record(json()) == RecordKind::unknown);
  }

  TEST_CASE("parse_record_kind and record_kind_name are inverse") {
    for (const RecordKind k : {RecordKind::hook, RecordKind::transcript, RecordKind::generic, RecordKind::text})
      CHECK(pat::parse_record_kind(pat::record_kind_name(k)) == k);
    CHECK(pat::parse_record_kind("nonsense") == RecordKind::unknown);
  }

  // ---------------------------------------------------------------------------- hook payloads

  TEST_CASE("normalize_hook_payload: PostToolUseFailure from a real hook log") {
    pat::Event e = hook(json::parse(kFailurePayload));
    CHECK(e.source == "claude-hook");
    CHECK(e.event == "PostToolUseFailure");
    CHECK(e.tool == "Bash");
    CHECK(e.tool_use_id == "toolu_01D1LEpKuC3N6wc7sRSBvXH7");
    CHECK(e.session == "e791a149-a17b-4b24-b2d4-90d3c14e1a95");
    CHECK(e.cwd == "C:\\Users\\noahm\\Project\\.playwright-cli");
    CHECK(e.input["command"] == "cd .playwright-cli && node audit.js 2>&1 | tail -300");
    CHECK(e.input["timeout"] == 300000);
  }

  TEST_CASE("normalize_hook_payload: failure outcome, exit code parsed, error without 'Exit code N'") {
    pat::Event e = hook(json::parse(kFailurePayload));
    CHECK(e.outcome == pat::Outcome::failure);
    REQUIRE(e.exit_code.has_value());
    CHECK(*e.exit_code == 1);
    CHECK(e.error == "/usr/bin/bash: line 1: cd: .playwright-cli: No such file or directory");
  }

  TEST_CASE("normalize_hook_payload: unmodelled fields are kept in extra, modelled ones are not") {
    pat::Event e = hook(json::parse(kFailurePayload));
    CHECK(e.extra["permission_mode"] == "bypassPermissions");
    CHECK(e.extra.contains("transcript_path"));
    REQUIRE(e.extra.contains("raw_input"));
    CHECK(e.extra["raw_input"]["is_interrupt"] == false);
    for (const std::string k :
         {"error", "tool_name", "tool_input", "session_id", "hook_event_name", "cwd", "tool_use_id"}) {
      CAPTURE(k);
      CHECK_FALSE(e.extra.contains(k));
    }
  }

  TEST_CASE("normalize_hook_payload: the logger's timestamp becomes ts and leaves extra") {
    pat::Event e = hook(json::parse(kFailurePayload));
    CHECK(e.ts == "2026-04-20T21:21:52.252Z");
    CHECK(e.ts_from_input);
    CHECK_FALSE(e.extra.contains("timestamp"));
  }

  TEST_CASE("normalize_hook_payload: without a time of its own, ts is the receive time") {
    pat::Event e = hook(json{{"hook_event_name", "PreToolUse"}, {"tool_name", "Read"}});
    CHECK(e.ts == kReceived);
    CHECK_FALSE(e.ts_from_input);
    CHECK(e.outcome == pat::Outcome::unknown);
  }

  TEST_CASE("normalize_hook_payload: a timestamp that is not a time stays in extra") {
    pat::Event e = hook(json{{"hook_event_name", "Stop"}, {"timestamp", "soon"}});
    CHECK(e.ts == kReceived);
    CHECK(e.extra["timestamp"] == "soon");
  }

  TEST_CASE("normalize_hook_payload: PostToolUse is a success and keeps tool_response in extra") {
    pat::Event e = hook(json{{"hook_event_name", "PostToolUse"},
                             {"session_id", "s"},
                             {"tool_name", "Bash"},
                             {"tool_use_id", "toolu_1"},
                             {"tool_input", {{"command", "ls"}}},
                             {"tool_response", {{"stdout", "a\nb"}, {"stderr", ""}}},
                             {"duration_ms", 42}});
    CHECK(e.outcome == pat::Outcome::success);
    CHECK(e.error.empty());
    CHECK_FALSE(e.exit_code.has_value());
    CHECK(e.duration_ms == 42);
    CHECK(e.extra["tool_response"]["stdout"] == "a\nb");
  }

  TEST_CASE("normalize_hook_payload: SessionStart carries the model (string or object)") {
    pat::Event a = hook(json{{"hook_event_name", "SessionStart"}, {"source", "compact"}, {"model", "claude-opus-4-7"}});
    CHECK(a.event == "SessionStart");
    CHECK(a.model == "claude-opus-4-7");
    CHECK(a.source == "claude-hook");
    CHECK(a.extra["source"] == "compact");  // the payload's own "source" is not the record's source
    pat::Event b = hook(json{{"hook_event_name", "SessionStart"},
                             {"model", {{"id", "claude-sonnet-4-5"}, {"display_name", "Sonnet"}}}});
    CHECK(b.model == "claude-sonnet-4-5");
  }

  TEST_CASE("normalize_hook_payload: non-objects and payloads without hook_event_name are rejected") {
    for (const json& original :
         {json::array({1}), json("x"), json{{"tool_name", "Read"}}, json{{"hook_event_name", 3}}}) {
      CAPTURE(original.dump());
      json j = original;
      const pat::Normalized n = pat::normalize_hook_payload(j, kReceived);
      CHECK_FALSE(n.event.has_value());
      CHECK_FALSE(n.error.empty());
      CHECK(j == original);  // a rejected record is left untouched
    }
  }

  TEST_CASE("normalize_hook_payload: every record of the real hook logs is accepted") {
    std::size_t records = 0, failures = 0, timed = 0;
    const std::filesystem::path root = std::filesystem::path(PAT_FIXTURES) / "claude-code";
    REQUIRE(std::filesystem::is_directory(root));
    for (const auto& project : std::filesystem::directory_iterator(root)) {
      if (!project.is_directory()) continue;
      for (const auto& file : std::filesystem::directory_iterator(project.path())) {
        if (file.path().extension() != ".json" || file.path().filename() == "chat.json") continue;
        const json log = parse_fixture(file.path());
        REQUIRE(log.is_array());
        for (json payload : log) {
          CAPTURE(file.path().string());
          const std::string name = payload.value("hook_event_name", "");
          const pat::Normalized n = pat::normalize_hook_payload(payload, kReceived);
          CHECK(n.error.empty());
          REQUIRE(n.event.has_value());
          CHECK(n.event->event == name);
          if (n.event->ts_from_input) ++timed;
          if (n.event->event == "PostToolUseFailure") {
            ++failures;
            CHECK(n.event->outcome == pat::Outcome::failure);
            CHECK_FALSE(n.event->error.empty());
            CHECK(n.event->error.rfind("Exit code", 0) == std::string::npos);
          }
          ++records;
        }
      }
    }
    CHECK(records == 504);
    CHECK(failures == 9);
    // Only the payloads whose logger added a time have one: 4+5 failures, 9 SessionEnd, 17+11 SubagentStart.
    CHECK(timed == 46);
  }

  // ---------------------------------------------------------------------------- generic records

  TEST_CASE("normalize_generic_record: tool aliases command, tool and tool_name") {
    CHECK(generic(json{{"tool_name", "Read"}}).tool == "Read");
    CHECK(generic(json{{"tool", "grep"}}).tool == "grep");
    CHECK(generic(json{{"command", "make"}}).tool == "make");
    // tool_name wins over tool.
    CHECK(generic(json{{"tool", "b"}, {"tool_name", "a"}}).tool == "a");
  }

  TEST_CASE("normalize_generic_record: defaults for a minimal record") {
    pat::Event e = generic(json{{"tool", "grep"}});
    CHECK(e.source == "generic");
    CHECK(e.event == "exec");
    CHECK(e.outcome == pat::Outcome::unknown);
    CHECK(e.ts == kReceived);
    CHECK_FALSE(e.ts_from_input);
    CHECK(e.input.is_null());
    CHECK(e.extra.empty());
  }

  TEST_CASE("normalize_generic_record: a command with spaces gives tool = program, input.command = line") {
    pat::Event e = generic(json{{"command", "git commit -m 'fix the build'"}});
    CHECK(e.tool == "git");
    CHECK(e.input["command"] == "git commit -m 'fix the build'");
    CHECK_FALSE(e.extra.contains("command"));
  }

  TEST_CASE("normalize_generic_record: a command line is added to the params object") {
    pat::Event e = generic(json{{"command", "pytest -x tests"}, {"params", {{"cwd", "/src"}}}});
    CHECK(e.tool == "pytest");
    CHECK(e.input["cwd"] == "/src");
    CHECK(e.input["command"] == "pytest -x tests");
  }

  TEST_CASE("normalize_generic_record: a command line of only blanks is rejected, not thrown") {
    pat::Normalized n;
    json record = {{"command", "   "}};
    CHECK_NOTHROW(n = pat::normalize_generic_record(record, kReceived));
    CHECK((!n.error.empty() || (n.event && !n.event->tool.empty())));
  }

  TEST_CASE("normalize_generic_record: input aliases tool_input, input, inputs, params") {
    CHECK(generic(json{{"tool", "t"}, {"tool_input", {{"a", 1}}}}).input["a"] == 1);
    CHECK(generic(json{{"tool", "t"}, {"input", {{"a", 2}}}}).input["a"] == 2);
    CHECK(generic(json{{"tool", "t"}, {"inputs", {{"a", 3}}}}).input["a"] == 3);
    CHECK(generic(json{{"tool", "t"}, {"params", {{"a", 4}}}}).input["a"] == 4);
    // The first alias present wins.
    CHECK(generic(json{{"tool", "t"}, {"params", {{"a", 4}}}, {"input", {{"a", 2}}}}).input["a"] == 2);
  }

  TEST_CASE("normalize_generic_record: outcome and success aliases") {
    CHECK(generic(json{{"tool", "t"}, {"outcome", "success"}}).outcome == pat::Outcome::success);
    CHECK(generic(json{{"tool", "t"}, {"outcome", "FAILED"}}).outcome == pat::Outcome::failure);
    CHECK(generic(json{{"tool", "t"}, {"success", true}}).outcome == pat::Outcome::success);
    CHECK(generic(json{{"tool", "t"}, {"success", false}}).outcome == pat::Outcome::failure);
    CHECK(generic(json{{"tool", "t"}, {"status", "ok"}}).outcome == pat::Outcome::success);
    CHECK(generic(json{{"tool", "t"}, {"outcome", "maybe"}}).outcome == pat::Outcome::unknown);
  }

  TEST_CASE("normalize_generic_record: error implies failure and is unwrapped") {
    pat::Event e = generic(json{{"tool", "bash"}, {"error", "Exit code 2\nboom"}});
    CHECK(e.outcome == pat::Outcome::failure);
    CHECK(e.error == "boom");
    CHECK(e.exit_code == 2);
  }

  TEST_CASE("normalize_generic_record: message is an alias of error") {
    pat::Event e = generic(json{{"tool", "t"}, {"success", false}, {"message", "permission denied"}});
    CHECK(e.error == "permission denied");
    CHECK(e.outcome == pat::Outcome::failure);
  }

  TEST_CASE("normalize_generic_record: an exit code decides the outcome when nothing else does") {
    pat::Event ok = generic(json{{"tool", "t"}, {"exit_code", 0}});
    CHECK(ok.outcome == pat::Outcome::success);
    CHECK(ok.exit_code == 0);
    pat::Event bad = generic(json{{"tool", "t"}, {"returncode", 3}});
    CHECK(bad.outcome == pat::Outcome::failure);
    CHECK(bad.exit_code == 3);
  }

  TEST_CASE("normalize_generic_record: timestamp and ts aliases become ts") {
    pat::Event a = generic(json{{"tool", "t"}, {"timestamp", "2026-02-25T16:09:44.068405"}});
    CHECK(a.ts == "2026-02-25T16:09:44.068Z");
    CHECK(a.ts_from_input);
    CHECK_FALSE(a.extra.contains("timestamp"));
    pat::Event b = generic(json{{"tool", "t"}, {"ts", 1772035784}});
    CHECK(b.ts == "2026-02-25T16:09:44.000Z");
    CHECK_FALSE(b.extra.contains("ts"));
    pat::Event c = generic(json{{"tool", "t"}, {"ts", 1772035784068}});
    CHECK(c.ts == "2026-02-25T16:09:44.068Z");
  }

  TEST_CASE("normalize_generic_record: session and session_id aliases") {
    CHECK(generic(json{{"tool", "t"}, {"session", "s1"}}).session == "s1");
    CHECK(generic(json{{"tool", "t"}, {"session_id", "s2"}}).session == "s2");
  }

  TEST_CASE("normalize_generic_record: duration_ms and time_taken_seconds") {
    CHECK(generic(json{{"tool", "t"}, {"duration_ms", 1500}}).duration_ms == 1500);
    CHECK(generic(json{{"tool", "t"}, {"time_taken_seconds", 1.25}}).duration_ms == 1250);
    CHECK(generic(json{{"tool", "t"}, {"time_taken_seconds", 2}}).duration_ms == 2000);
  }

  TEST_CASE("normalize_generic_record: unmodelled fields like operation_kind and context stay in extra") {
    pat::Event e = generic(json{{"tool", "t"},
                                {"operation_kind", "file_write"},
                                {"context", {{"ticket", "ABC-1"}}},
                                {"model", "gpt-x"},
                                {"agent", "builder"}});
    CHECK(e.extra["operation_kind"] == "file_write");
    CHECK(e.extra["context"]["ticket"] == "ABC-1");
    CHECK(e.model == "gpt-x");
    CHECK(e.agent == "builder");
    CHECK_FALSE(e.extra.contains("model"));
    CHECK_FALSE(e.extra.contains("tool"));
  }

  TEST_CASE("normalize_generic_record: an event field overrides exec; an id is the tool_use_id") {
    pat::Event e = generic(json{{"tool", "t"}, {"event", "PostToolUse"}, {"call_id", "c-1"}});
    CHECK(e.event == "PostToolUse");
    CHECK(e.tool_use_id == "c-1");
  }

  TEST_CASE("normalize_generic_record: an alias that was not used is kept in extra") {
    // "tool" is used as the tool; "command" and "message" (second choices) must still be somewhere.
    pat::Event e =
        generic(json{{"tool", "Bash"}, {"command", "ls -la /tmp"}, {"error", "boom"}, {"message", "more detail"}});
    CHECK(e.tool == "Bash");
    CHECK(e.error == "boom");
    CHECK(e.extra["command"] == "ls -la /tmp");
    CHECK(e.extra["message"] == "more detail");
  }

  TEST_CASE("normalize_generic_record: records without a usable tool are rejected") {
    for (const json& original :
         {json{{"foo", 1}}, json{{"tool", 5}}, json{{"tool", ""}}, json::array(), json(nullptr)}) {
      CAPTURE(original.dump());
      json j = original;
      const pat::Normalized n = pat::normalize_generic_record(j, kReceived);
      CHECK_FALSE(n.event.has_value());
      CHECK_FALSE(n.error.empty());
      CHECK(j == original);  // a rejected record is left untouched
    }
  }

  // ---------------------------------------------------------------------------- text logs

  TEST_CASE("log_line_time and normalize_log_entry") {
    CHECK(pat::log_line_time("[2026-02-25T16:09:54.407701] started") == "2026-02-25T16:09:54.407Z");
    CHECK(pat::log_line_time("2026-02-25 16:09:54,123 INFO x") == "2026-02-25T16:09:54.123Z");
    CHECK_FALSE(pat::log_line_time("no time here").has_value());
    pat::Event e = pat::normalize_log_entry("[2026-02-25T16:09:54.407701] started", kReceived);
    CHECK(e.event == "log");
    CHECK(e.ts == "2026-02-25T16:09:54.407Z");
    CHECK(e.extra["message"] == "[2026-02-25T16:09:54.407701] started");
    CHECK(pat::normalize_log_entry("plain", kReceived).ts == kReceived);
  }

  // ---------------------------------------------------------------------------- transcripts

  TEST_CASE("TranscriptPairer: tool_use + failing tool_result give one PostToolUseFailure") {
    pat::TranscriptPairer p;
    std::string error;
    CHECK(p.feed(assistant_with_tool_use("msg_1", "toolu_A", "Edit", "2026-02-25T16:09:44.000Z"), 0, error).empty());
    auto out = p.feed(
        user_with_tool_result("toolu_A", true, "<tool_use_error>String to replace not found in file.</tool_use_error>",
                              "2026-02-25T16:09:44.250Z"),
        900, error);
    CHECK(error.empty());
    REQUIRE(out.size() == 1);
    pat::Event& e = out[0];
    CHECK(e.source == "claude-transcript");
    CHECK(e.event == "PostToolUseFailure");
    CHECK(e.outcome == pat::Outcome::failure);
    CHECK(e.tool == "Edit");
    CHECK(e.tool_use_id == "toolu_A");
    CHECK(e.session == "sess-1");
    CHECK(e.cwd == "/home/me/proj");
    CHECK(e.error == "String to replace not found in file.");
    CHECK_FALSE(e.exit_code.has_value());
    CHECK(e.input["old_string"] == "foo");
    CHECK(e.model == "claude-opus-4-7");
    REQUIRE(e.tokens.has_value());
    CHECK(e.tokens->input == 10);
    CHECK(e.tokens->output == 20);
    CHECK(e.tokens->cache_read == 30);
    CHECK(e.tokens->cache_write == 40);
    CHECK(e.ts == "2026-02-25T16:09:44.250Z");
    CHECK(e.duration_ms == 250);
    CHECK_FALSE(p.earliest_pending_offset().has_value());
    CHECK(p.drain_pending().empty());
  }

  TEST_CASE("TranscriptPairer: a successful tool_result is PostToolUse with the result in extra") {
    pat::TranscriptPairer p;
    std::string error;
    p.feed(assistant_with_tool_use("msg_1", "toolu_B", "Read", "2026-02-25T16:09:44.000Z"), 0, error);
    auto out = p.feed(user_with_tool_result("toolu_B", false, "1\tline one", "2026-02-25T16:09:45.000Z"), 10, error);
    REQUIRE(out.size() == 1);
    CHECK(out[0].event == "PostToolUse");
    CHECK(out[0].outcome == pat::Outcome::success);
    CHECK(out[0].error.empty());
    CHECK(out[0].extra["result"] == "1\tline one");
  }

  TEST_CASE("TranscriptPairer: an error given as text blocks is joined") {
    pat::TranscriptPairer p;
    std::string error;
    p.feed(assistant_with_tool_use("msg_1", "toolu_C", "Bash", "2026-02-25T16:09:44.000Z"), 0, error);
    const json blocks =
        json::array({{{"type", "text"}, {"text", "Exit code 1"}}, {{"type", "text"}, {"text", "nope"}}});
    auto out = p.feed(user_with_tool_result("toolu_C", true, blocks, "2026-02-25T16:09:45.000Z"), 10, error);
    REQUIRE(out.size() == 1);
    CHECK(out[0].exit_code == 1);
    CHECK(out[0].error == "nope");
  }

  TEST_CASE("TranscriptPairer: an unpaired tool_use is returned by drain_pending with outcome unknown") {
    pat::TranscriptPairer p;
    std::string error;
    CHECK(p.feed(assistant_with_tool_use("msg_1", "toolu_D", "Bash", "2026-02-25T16:09:44.000Z"), 1234, error).empty());
    REQUIRE(p.earliest_pending_offset().has_value());
    CHECK(*p.earliest_pending_offset() == 1234);
    auto pending = p.drain_pending();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].tool_use_id == "toolu_D");
    CHECK(pending[0].tool == "Bash");
    CHECK(pending[0].outcome == pat::Outcome::unknown);
    CHECK(pending[0].model == "claude-opus-4-7");
    CHECK_FALSE(p.earliest_pending_offset().has_value());
    CHECK(p.drain_pending().empty());
  }

  TEST_CASE("TranscriptPairer: earliest_pending_offset follows the oldest call still open") {
    pat::TranscriptPairer p;
    std::string error;
    CHECK_FALSE(p.earliest_pending_offset().has_value());
    p.feed(assistant_with_tool_use("msg_1", "toolu_1", "Read", "2026-02-25T16:09:44.000Z"), 100, error);
    p.feed(assistant_with_tool_use("msg_1", "toolu_2", "Read", "2026-02-25T16:09:44.100Z"), 200, error);
    CHECK(p.earliest_pending_offset() == std::uint64_t{100});
    CHECK(p.feed(user_with_tool_result("toolu_1", false, "ok", "2026-02-25T16:09:45.000Z"), 300, error).size() == 1);
    CHECK(p.earliest_pending_offset() == std::uint64_t{200});
    CHECK(p.feed(user_with_tool_result("toolu_2", false, "ok", "2026-02-25T16:09:45.000Z"), 400, error).size() == 1);
    CHECK_FALSE(p.earliest_pending_offset().has_value());
  }

  TEST_CASE("TranscriptPairer: a tool_result whose tool_use was not seen is marked unpaired") {
    pat::TranscriptPairer p;
    std::string error;
    auto out = p.feed(user_with_tool_result("toolu_X", true, "boom", "2026-02-25T16:09:45.000Z"), 0, error);
    REQUIRE(out.size() == 1);
    CHECK(out[0].tool_use_id == "toolu_X");
    CHECK(out[0].outcome == pat::Outcome::failure);
    CHECK(out[0].extra["unpaired"] == true);
  }

  TEST_CASE("TranscriptPairer: records without tool calls are skipped; non-objects are errors") {
    pat::TranscriptPairer p;
    std::string error;
    CHECK(p.feed(json{{"type", "summary"}, {"summary", "x"}}, 0, error).empty());
    CHECK(p.feed(json{{"type", "user"},
                      {"message", {{"role", "user"}, {"content", json::array({{{"type", "text"}, {"text", "hi"}}})}}}},
                 10, error)
              .empty());
    CHECK(error.empty());
    CHECK(p.skipped() == 2);
    CHECK(p.feed(json::array({1}), 20, error).empty());
    CHECK_FALSE(error.empty());
  }

  TEST_CASE("TranscriptPairer: the real transcript pairs every tool_use with its result") {
    const json records = parse_fixture(std::filesystem::path(PAT_FIXTURES) / "claude-code/cka-buddy/chat.json");
    REQUIRE(records.is_array());
    pat::TranscriptPairer p;
    std::vector<pat::Event> events;
    std::uint64_t offset = 0;
    for (const auto& r : records) {
      std::string error;
      for (auto& e : p.feed(r, offset++, error)) events.push_back(std::move(e));
      CHECK(error.empty());
    }
    CHECK(p.drain_pending().empty());
    CHECK(events.size() == 33);
    for (const auto& e : events) {
      CAPTURE(e.tool_use_id);
      CHECK(e.outcome == pat::Outcome::success);
      CHECK_FALSE(e.tool.empty());
      CHECK(e.model == "claude-opus-4-6");
      CHECK_FALSE(e.extra.contains("unpaired"));
    }
  }

}  // TEST_SUITE
