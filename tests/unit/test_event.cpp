#include <string>

#include <doctest/doctest.h>

#include "records/event.hpp"
#include "unit_helpers.hpp"
#include "util/error.hpp"

using pat::json;

namespace {

pat::Event full_event() {
  pat::Event e;
  e.id = "0123456789abcdef0123456789abcdef";
  e.ts = "2026-02-25T16:09:44.068Z";
  e.source = "claude-hook";
  e.session = "sess-1";
  e.event = "PostToolUseFailure";
  e.tool = "Bash";
  e.tool_use_id = "toolu_1";
  e.input = {{"command", "ls \"a b\"\n\ttab\\"}, {"timeout", 1000}};
  e.outcome = pat::Outcome::failure;
  e.error = "ls: cannot access 'a b': No such file\x01";
  e.exit_code = 2;
  e.duration_ms = 15;
  e.cwd = "/home/me";
  e.agent = "subagent";
  e.model = "claude-opus-4-7";
  e.tokens = pat::TokenUsage{1, 2, 3, 4};
  e.extra = {{"permission_mode", "default"}, {"nested", {{"k", json::array({1, "x"})}}}};
  return e;
}

}  // namespace

TEST_SUITE("event") {
  TEST_CASE("to_json: kind, v and every set field; empty optional fields left out") {
    json full = pat::to_json(full_event());
    CHECK(full["kind"] == "event");
    CHECK(full["v"] == 1);
    CHECK(full["exit_code"] == 2);
    CHECK(full["tokens"]["cache_write"] == 4);
    CHECK(full["extra"]["permission_mode"] == "default");

    pat::Event minimal;
    minimal.ts = "2026-02-25T16:09:44.068Z";
    minimal.source = "generic";
    minimal.event = "exec";
    const json j = pat::to_json(minimal);
    for (const std::string k : {"id", "session", "tool", "tool_use_id", "input", "error", "exit_code", "duration_ms",
                                "cwd", "agent", "model", "tokens", "extra"}) {
      CAPTURE(k);
      CHECK_FALSE(j.contains(k));
    }
    CHECK(j.value("outcome", "") == "unknown");
  }

  TEST_CASE("event_from_json reads back what to_json wrote") {
    const pat::Event e = full_event();
    const pat::Event back = pat::event_from_json(pat::to_json(e));
    CHECK(back.id == e.id);
    CHECK(back.ts == e.ts);
    CHECK(back.source == e.source);
    CHECK(back.session == e.session);
    CHECK(back.event == e.event);
    CHECK(back.tool == e.tool);
    CHECK(back.tool_use_id == e.tool_use_id);
    CHECK(back.input == e.input);
    CHECK(back.outcome == e.outcome);
    CHECK(back.error == e.error);
    CHECK(back.exit_code == e.exit_code);
    CHECK(back.duration_ms == e.duration_ms);
    CHECK(back.cwd == e.cwd);
    CHECK(back.agent == e.agent);
    CHECK(back.model == e.model);
    REQUIRE(back.tokens.has_value());
    CHECK(back.tokens->input == 1);
    CHECK(back.tokens->cache_write == 4);
    CHECK(back.extra == e.extra);
  }

  TEST_CASE("event_from_json: fields from a newer writer land in extra") {
    json j = pat::to_json(full_event());
    j["future_field"] = {{"a", 1}};
    const pat::Event back = pat::event_from_json(j);
    CHECK(back.extra.contains("future_field"));
    CHECK(back.extra.contains("permission_mode"));
  }

  TEST_CASE("event_from_json: wrong records throw Exit::data_error") {
    const json good = pat::to_json(full_event());
    json no_ts = good;
    no_ts.erase("ts");
    json wrong_kind = good;
    wrong_kind["kind"] = "pattern";
    json bad_outcome = good;
    bad_outcome["outcome"] = "maybe";
    json bad_type = good;
    bad_type["exit_code"] = "two";
    for (const json& j : {no_ts, wrong_kind, bad_outcome, bad_type, json::array(), json("event")}) {
      CAPTURE(j.dump());
      CHECK(pat_test::error_of([&] { pat::event_from_json(j); }).code == pat::Exit::data_error);
    }
  }

  TEST_CASE("serialize_event writes the same record as to_json") {
    const pat::Event e = full_event();
    pat::SerializedEvent s;
    pat::serialize_event(e, true, s);
    CHECK(json::parse(s.record) == pat::to_json(e));
    CHECK(s.record.rfind(R"({"kind":"event","v":1,"id":")", 0) == 0);
  }

  TEST_CASE("serialize_event: the content is the record without its id, with or without ts") {
    const pat::Event e = full_event();
    pat::SerializedEvent with_ts, without_ts;
    pat::serialize_event(e, true, with_ts);
    pat::serialize_event(e, false, without_ts);
    CHECK(with_ts.content.find(e.id) == std::string::npos);
    CHECK(with_ts.content.find(e.ts) != std::string::npos);
    CHECK(without_ts.content.find(e.ts) == std::string::npos);
    CHECK(with_ts.record == without_ts.record);
    // A different receive time must not change the content when ts is not content.
    pat::Event later = e;
    later.ts = "2030-01-01T00:00:00.000Z";
    pat::SerializedEvent later_s;
    pat::serialize_event(later, false, later_s);
    CHECK(later_s.content == without_ts.content);
  }

  TEST_CASE("set_serialized_id inserts the id into a record serialised without one") {
    pat::Event e = full_event();
    const std::string id = e.id;
    e.id.clear();
    pat::SerializedEvent s;
    pat::serialize_event(e, true, s);
    pat::set_serialized_id(s, id);
    e.id = id;
    CHECK(json::parse(s.record) == pat::to_json(e));
  }

  TEST_CASE("append_json_string escapes quotes, backslashes and control characters") {
    std::string out;
    pat::append_json_string(out, std::string("a\"b\\c\n\r\t\b\f\x01\x1f\0z\xC3\xA9", 16));
    CHECK(out == "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\\u0000z\xC3\xA9\"");
    CHECK(json::parse(out) == std::string("a\"b\\c\n\r\t\b\f\x01\x1f\0z\xC3\xA9", 16));
  }

}  // TEST_SUITE
