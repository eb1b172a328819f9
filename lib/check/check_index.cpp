#include "check/check_index.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "check/check_form.hpp"
#include "mistake/check.hpp"
#include "util/atomic_file.hpp"
#include "util/content_hash.hpp"
#include "util/error.hpp"
#include "util/file_identity.hpp"
#include "util/file_lock.hpp"
#include "util/json_parse.hpp"

namespace pat {
namespace {

constexpr std::string_view kMagic = "pattools-check-index 2 ";
constexpr std::string_view kEnd = "end ";

// A field of a line: backslash, tab, CR and LF escaped, so that a line is always whole.
std::string escape_field(std::string_view tool) {
  std::string out;
  out.reserve(tool.size());
  for (const char c : tool) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

// The bytes of an escaped field: `field` itself when nothing is escaped, else a copy in `buffer`.
std::string_view unescape_field(std::string_view field, std::string& buffer) {
  if (field.find('\\') == std::string_view::npos) return field;
  buffer.clear();
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      buffer += field[i];
      continue;
    }
    switch (field[++i]) {
      case 't': buffer += '\t'; break;
      case 'r': buffer += '\r'; break;
      case 'n': buffer += '\n'; break;
      default: buffer += field[i];
    }
  }
  return buffer;
}

struct Line {
  std::string tool;  // escaped
  double confidence = 0.0;
  std::string id;
  std::string text;  // the whole line
};

// The "in" predicate with the fewest values: the cheapest necessary condition of the check.
const ValueIn* anchor_of(const Check& c) {
  const ValueIn* best = nullptr;
  for (const auto& p : c.all)
    if (const auto* in = std::get_if<ValueIn>(&p); in && (!best || in->values.size() < best->values.size())) best = in;
  return best;
}

// The identity of the store's file, which the index names so that an index beside another file
// (a store replaced, or copied without its index) is never used.
std::optional<std::string> store_identity(const fs::path& db) {
  const auto id = file_identity(db);
  if (!id) return std::nullopt;
  return fmt::format("{} {}", id->device, id->inode);
}

// The field at `pos`, moving `pos` past it (empty after the last field).
std::string_view field(std::string_view line, std::size_t& pos) {
  if (pos >= line.size()) {
    pos = line.size() + 1;
    return {};
  }
  const auto tab = line.find('\t', pos);
  const auto end = tab == std::string_view::npos ? line.size() : tab;
  const std::string_view f = line.substr(pos, end - pos);
  pos = end + 1;
  return f;
}

}  // namespace

CheckIndexContent build_check_index(Store& store) {
  CheckIndexContent out;
  std::vector<Line> lines;
  {
    Store::ReadTransaction read(store);
    out.generation = store.pattern_generation();
    SQLite::Statement q(store.db(),
                        "SELECT tool, confidence, observations, id, mistake FROM patterns WHERE status = 'active'");
    while (q.executeStep()) {
      const json mistake = json::parse(q.getColumn(4).getString(), nullptr, false);
      const auto check = check_from_json(mistake);
      if (!check) continue;  // it never matches (PatternMatcher::check skips it too)
      Line l;
      l.tool = escape_field(q.getColumn(0).getString());
      l.confidence = q.getColumn(1).getDouble();
      l.id = escape_field(q.getColumn(3).getString());  // an imported id may hold any character
      std::string part, hashes;
      if (const ValueIn* anchor = anchor_of(*check)) {
        part = escape_field(part_form(anchor->part));
        for (const auto& v : anchor->values) hashes += fmt::format("{}{:x}", hashes.empty() ? "" : ",", hash64(v));
      }
      l.text = fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", l.tool, l.confidence, q.getColumn(2).getInt64(), l.id, part,
                           hashes, escape_field(check_form(*check)));
      lines.push_back(std::move(l));
    }
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    if (a.tool != b.tool) return a.tool < b.tool;
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.id < b.id;
  });
  const auto identity = store_identity(store.options().path);
  if (!identity) throw Error(Exit::io_error, fmt::format("cannot stat {}", store.options().path.string()));
  out.text = fmt::format("{}{} {}\n", kMagic, *identity, out.generation);
  for (const auto& l : lines) out.text += l.text;
  out.text += fmt::format("{}{}\n", kEnd, lines.size());
  return out;
}

bool install_check_index(Store& store, const CheckIndexContent& content) {
  std::optional<FileLock> lock;
  AtomicWrite how;
  how.sync = false;  // a cache: a reader refuses an index that is not whole
  how.before_rename = [&] {
    lock.emplace(store.check_index_lock_path(), std::chrono::milliseconds(store.options().busy_timeout_ms));
    return store.pattern_generation() == content.generation;
  };
  return write_file_atomically(store.check_index_path(), content.text, how);
}

bool rebuild_check_index(Store& store) { return install_check_index(store, build_check_index(store)); }

std::unique_ptr<CheckIndex> CheckIndex::open(const fs::path& db) {
  const auto identity = store_identity(db);
  if (!identity) return nullptr;
  const std::string path = db.string() + ".checks";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return nullptr;
  struct stat st {};
  const std::string header = fmt::format("{}{} ", kMagic, *identity);
  void* map = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > header.size())
    map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return nullptr;
  const auto* data = static_cast<const char*>(map);
  const auto size = static_cast<std::size_t>(st.st_size);
  const std::string_view text(data, size);
  // Whole: this store's header first, the end line last.
  const auto body = text.find('\n');
  const auto last = size >= 2 ? text.rfind('\n', size - 2) : std::string_view::npos;
  const bool whole = text.starts_with(header) && text.back() == '\n' && body != std::string_view::npos &&
                     last != std::string_view::npos && last >= body && text.substr(last + 1).starts_with(kEnd);
  if (!whole) {
    ::munmap(map, size);
    return nullptr;
  }
  return std::unique_ptr<CheckIndex>(new CheckIndex(db, data, size, body + 1, last + 1));
}

CheckIndex::CheckIndex(fs::path db, const char* data, std::size_t size, std::size_t body, std::size_t end)
    : db_(std::move(db)), data_(data), size_(size), body_(body), end_(end) {}

CheckIndex::~CheckIndex() { ::munmap(const_cast<char*>(data_), size_); }

void CheckIndex::for_tool(std::string_view tool, const std::function<bool(const IndexedCheck&)>& visit) const {
  const std::string key = escape_field(tool);
  std::string anchor_part, check;  // an escaped field's bytes
  const std::string_view text(data_, end_);
  const auto tool_of = [&](std::size_t line) {
    const auto tab = text.find('\t', line);
    return text.substr(line, (tab == std::string_view::npos ? text.size() : tab) - line);
  };
  // The first line whose tool is not below `key`: a binary search over byte offsets, each probe
  // moved back to the start of its line ([lo, hi) are line starts).
  std::size_t lo = body_, hi = end_;
  while (lo < hi) {
    std::size_t mid = lo + (hi - lo) / 2;
    while (mid > lo && text[mid - 1] != '\n') --mid;
    const auto eol = text.find('\n', mid);
    if (tool_of(mid) < key)
      lo = eol + 1;
    else
      hi = mid;
  }
  for (std::size_t line = lo; line < end_;) {
    const auto eol = text.find('\n', line);
    const std::string_view l = text.substr(line, eol - line);
    line = eol + 1;
    std::size_t pos = 0;
    if (field(l, pos) != key) return;
    IndexedCheck c;
    const auto confidence = field(l, pos);
    if (std::from_chars(confidence.data(), confidence.data() + confidence.size(), c.confidence).ec != std::errc())
      c.confidence = 1.0;  // unreadable: never skipped for its confidence
    field(l, pos);         // observations: for a reader of the file
    c.id = field(l, pos);
    c.anchor_part = unescape_field(field(l, pos), anchor_part);
    c.anchor_hashes = field(l, pos);
    c.check = unescape_field(field(l, pos), check);
    if (!visit(c)) return;
  }
}

bool anchor_holds(std::string_view anchor_hashes, const std::vector<std::uint64_t>& value_hashes) {
  std::size_t pos = 0;
  while (pos < anchor_hashes.size()) {
    auto comma = anchor_hashes.find(',', pos);
    if (comma == std::string_view::npos) comma = anchor_hashes.size();
    std::uint64_t h = 0;
    const auto r = std::from_chars(anchor_hashes.data() + pos, anchor_hashes.data() + comma, h, 16);
    // An unreadable hash cannot rule the check out.
    if (r.ec != std::errc() || r.ptr != anchor_hashes.data() + comma) return true;
    if (std::find(value_hashes.begin(), value_hashes.end(), h) != value_hashes.end()) return true;
    pos = comma + 1;
  }
  return false;
}

}  // namespace pat
