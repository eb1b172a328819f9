#include "store/session_facts.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include <fmt/format.h>

#include "store/stored_events.hpp"
#include "util/command_line.hpp"
#include "util/content_hash.hpp"
#include "util/file_identity.hpp"
#include "util/json_parse.hpp"
#include "util/small_file.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxFileBytes = 8u << 20;  // a larger file is not read: the store answers
constexpr std::size_t kMaxHashesPerField = 64;   // parameters, commands of one call

std::uint64_t param_fact(std::string_view name, std::string_view value) {
  std::string key(name);
  key += '\x1f';
  key += value;
  return hash64(key);
}

std::uint64_t command_fact(std::string_view name, std::string_view subcommand = {}) {
  if (subcommand.empty()) return hash64(name);
  std::string key(name);
  key += '\x1f';
  key += subcommand;
  return hash64(key);
}

void append_hashes(std::string& out, const std::vector<std::uint64_t>& hashes) {
  if (hashes.empty()) {
    out += '-';
    return;
  }
  for (std::size_t i = 0; i < hashes.size(); ++i) out += fmt::format("{}{:x}", i == 0 ? "" : ",", hashes[i]);
}

bool parse_hash(std::string_view text, std::uint64_t& h) {
  const auto r = std::from_chars(text.data(), text.data() + text.size(), h, 16);
  return r.ec == std::errc() && r.ptr == text.data() + text.size() && !text.empty();
}

bool parse_hashes(std::string_view text, std::vector<std::uint64_t>& out) {
  if (text == "-") return true;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::uint64_t h = 0;
    if (!parse_hash(text.substr(pos, comma - pos), h)) return false;
    out.push_back(h);
    pos = comma + 1;
  }
  return true;
}

std::optional<SessionCallFacts> parse_line(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t pos = 0;
  while (fields.size() < 5) {
    const auto space = line.find(' ', pos);
    fields.push_back(line.substr(pos, space == std::string_view::npos ? std::string_view::npos : space - pos));
    if (space == std::string_view::npos) break;
    pos = space + 1;
  }
  SessionCallFacts f;
  if (fields.size() != 4 || !parse_hash(fields[0], f.tool) || !parse_hash(fields[1], f.cwd) ||
      !parse_hashes(fields[2], f.params) || !parse_hashes(fields[3], f.commands))
    return std::nullopt;
  return f;
}

// The session's file, named after the store file's device and inode too: the files of a store
// that was replaced never speak for the new one. Empty when the store cannot be looked at.
fs::path file_of(const fs::path& db, std::string_view session) {
  const auto id = file_identity(db);
  if (!id) return {};
  return session_facts_directory(db) / fmt::format("{:x}-{:x}-{:016x}", id->device, id->inode, hash64(session));
}

}  // namespace

SessionCallFacts facts_of(const Event& e) {
  SessionCallFacts f;
  f.tool = hash64(e.tool);
  f.cwd = hash64(e.cwd);
  if (e.input.is_object()) {
    // Strings only: the store compares other values as SQLite's text of them (true is "1"),
    // which the file would not match; such a value is the store's to judge.
    for (const auto& [name, value] : e.input.items()) {
      if (f.params.size() >= kMaxHashesPerField) break;
      if (value.is_string()) f.params.push_back(param_fact(name, value.get_ref<const std::string&>()));
    }
    if (const auto command = scalar_text(e.input, "command")) {
      for (const auto& c : split_command_line(*command)) {
        if (f.commands.size() + 2 > kMaxHashesPerField) break;
        f.commands.push_back(command_fact(c.name));
        if (!c.subcommand.empty()) f.commands.push_back(command_fact(c.name, c.subcommand));
      }
    }
  }
  return f;
}

std::string facts_line(const SessionCallFacts& f) {
  std::string out = fmt::format("{:x} {:x} ", f.tool, f.cwd);
  append_hashes(out, f.params);
  out += ' ';
  append_hashes(out, f.commands);
  out += '\n';
  return out;
}

fs::path session_facts_directory(const fs::path& db) { return fs::path(db.string() + ".sessions"); }

bool append_session_facts(const fs::path& db, std::string_view session, std::string_view lines) {
  const fs::path dir = session_facts_directory(db);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return false;
  const fs::path file = file_of(db, session);
  if (file.empty()) return false;
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return false;
  // One write: lines appended by processes at once never interleave.
  const ssize_t n = ::write(fd, lines.data(), lines.size());
  ::close(fd);
  return n == static_cast<ssize_t>(lines.size());
}

SessionFacts SessionFacts::read(const fs::path& db, std::string_view session) {
  SessionFacts out;
  std::string text;
  const fs::path file = file_of(db, session);
  if (file.empty()) return out;
  try {
    auto content = read_small_file(file, kMaxFileBytes, Exit::io_error);
    if (!content) return out;
    text = std::move(*content);
  } catch (const Error&) {
    return out;  // too large or unreadable: the store answers
  }
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto eol = text.find('\n', pos);
    if (eol == std::string::npos) break;  // a line being written
    if (auto f = parse_line(std::string_view(text).substr(pos, eol - pos))) out.calls_.push_back(std::move(*f));
    pos = eol + 1;
  }
  return out;
}

bool SessionFacts::ran(const SessionNeed& need) const {
  const std::uint64_t tool = hash64(need.tool);
  const std::uint64_t cwd = need.in_cwd ? hash64(*need.in_cwd) : 0;
  const std::uint64_t same = need.same.empty() ? 0 : param_fact(need.same, need.same_value);
  const std::uint64_t program = need.program.empty() ? 0 : command_fact(need.program, need.subcommand);
  const auto has = [](const std::vector<std::uint64_t>& v, std::uint64_t h) {
    return std::find(v.begin(), v.end(), h) != v.end();
  };
  // The store looks at the tool's latest kSessionCallsLooked calls for a program or a directory
  // (session_calls); so does the file, newest first.
  const bool latest_only = need.in_cwd || !need.program.empty();
  std::size_t looked = 0;
  for (auto it = calls_.rbegin(); it != calls_.rend(); ++it) {
    const SessionCallFacts& c = *it;
    if (c.tool != tool) continue;
    if (latest_only && ++looked > kSessionCallsLooked) break;
    if (need.in_cwd && c.cwd != cwd) continue;
    if (!need.same.empty() && !has(c.params, same)) continue;
    if (!need.program.empty() && !has(c.commands, program)) continue;
    return true;
  }
  return false;
}

std::size_t remove_idle_session_facts(const fs::path& db, fs::file_time_type cutoff) {
  std::size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(session_facts_directory(db), ec)) {
    std::error_code e;
    if (entry.is_regular_file(e) && entry.last_write_time(e) < cutoff && !e && fs::remove(entry.path(), e)) ++removed;
  }
  return removed;
}

}  // namespace pat
