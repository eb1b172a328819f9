#include "detect/written_files.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <unordered_map>

#include "detect/occurrences.hpp"
#include "detect/operation.hpp"
#include "util/content_hash.hpp"
#include "util/text.hpp"
#include "util/token_template.hpp"
#include "util/utf8.hpp"

namespace pat {
namespace {

constexpr std::size_t kMaxPoolFiles = 50;   // recent files per extension not yet in a group
constexpr std::size_t kMaxFileLines = 300;  // lines of a written file compared and templated
constexpr std::size_t kMaxLineBytes = 300;
constexpr double kFileSimilarity = 0.6;

struct FileText {
  std::vector<std::string> lines;
  std::vector<std::uint64_t> line_set;  // sorted distinct hashes of the lines
  bool blank = true;
};

FileText file_text(std::string_view content) {
  FileText f;
  std::size_t start = 0;
  while (start < content.size() && f.lines.size() < kMaxFileLines) {
    const auto nl = std::min(content.find('\n', start), content.size());
    std::string_view line = content.substr(start, nl - start);
    while (!line.empty() && is_ascii_space(line.back())) line.remove_suffix(1);
    if (!line.empty()) f.blank = false;
    f.lines.emplace_back(utf8_prefix(line, kMaxLineBytes));
    start = nl + 1;
  }
  for (const auto& l : f.lines) f.line_set.push_back(hash64(l));
  std::sort(f.line_set.begin(), f.line_set.end());
  f.line_set.erase(std::unique(f.line_set.begin(), f.line_set.end()), f.line_set.end());
  return f;
}

// Dice coefficient of the two sets of lines.
double line_similarity(const FileText& a, const FileText& b) {
  std::size_t common = 0;
  auto i = a.line_set.begin();
  auto j = b.line_set.begin();
  while (i != a.line_set.end() && j != b.line_set.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  const std::size_t total = a.line_set.size() + b.line_set.size();
  return total == 0 ? 0.0 : 2.0 * static_cast<double>(common) / static_cast<double>(total);
}

// Lines that differ only in some of their words, no more than they share ("import os" and
// "import sys", not "x = 1" and "y = 2").
bool lines_alike(std::string_view a, std::string_view b) {
  if (a == b) return true;
  const Tokens ta = text_tokens(a);
  const Tokens tb = text_tokens(b);
  if (ta.size() != tb.size()) return false;
  std::size_t shared = 0, differing = 0;
  for (std::size_t i = 0; i < ta.size(); ++i) {
    if (ta[i] == tb[i])
      shared += is_word_token(ta[i]) ? 1 : 0;
    else if (is_word_token(ta[i]) && is_word_token(tb[i]))
      ++differing;
    else
      return false;
  }
  return shared >= differing;
}

// The same lines in the same order, most of them equal or alike.
bool same_structure(const FileText& a, const FileText& b) {
  if (a.lines.size() != b.lines.size() || a.lines.empty()) return false;
  std::size_t alike = 0;
  for (std::size_t i = 0; i < a.lines.size(); ++i) alike += lines_alike(a.lines[i], b.lines[i]) ? 1 : 0;
  return static_cast<double>(alike) >= kFileSimilarity * static_cast<double>(a.lines.size());
}

bool similar_files(const FileText& a, const FileText& b) {
  return line_similarity(a, b) >= kFileSimilarity || same_structure(a, b);
}

void add_wild_line(std::vector<std::string>& out) {
  if (out.empty() || out.back() != kWildcard) out.emplace_back(kWildcard);
}

// Merges a file into a template of lines: lines in common (longest common subsequence) stay;
// between them, runs of equal length are merged line by line, others become one <*> line.
void merge_lines(std::vector<std::string>& tmpl, const std::vector<std::string>& lines) {
  const std::size_t n = tmpl.size(), m = lines.size();
  std::vector<std::uint16_t> lcs((n + 1) * (m + 1), 0);
  const auto at = [m, &lcs](std::size_t i, std::size_t j) -> std::uint16_t& { return lcs[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      at(i, j) =
          tmpl[i] == lines[j] ? static_cast<std::uint16_t>(at(i + 1, j + 1) + 1) : std::max(at(i + 1, j), at(i, j + 1));
  std::vector<std::string> out;
  std::size_t i = 0, j = 0, gap_i = 0, gap_j = 0;
  const auto flush_gap = [&] {
    if (i - gap_i == j - gap_j) {
      for (std::size_t k = 0; k < i - gap_i; ++k) out.push_back(merge_text(tmpl[gap_i + k], lines[gap_j + k]));
    } else {
      add_wild_line(out);
    }
  };
  while (i < n && j < m) {
    if (tmpl[i] == lines[j]) {
      flush_gap();
      out.push_back(tmpl[i]);
      gap_i = ++i;
      gap_j = ++j;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      ++i;
    } else {
      ++j;
    }
  }
  i = n;
  j = m;
  flush_gap();
  tmpl = std::move(out);
}

struct WrittenFile {
  Sighting seen;
  std::string path;  // relative to the working directory when inside it
  FileText text;
};

struct FileGroup {
  std::string extension;
  FileText first;  // later files join when similar to the first one
  std::vector<std::string> lines;
  std::string path;
  json paths = json::array();  // a few of the paths written
  Occurrences occurrences;

  void add(const WrittenFile& f, std::size_t max_examples) {
    if (occurrences.count() == 0) {
      first = f.text;
      lines = f.text.lines;
      path = f.path;
    } else {
      merge_lines(lines, f.text.lines);
      path = merge_text(path, f.path);
    }
    if (paths.size() < kMaxSampleValues && std::find(paths.begin(), paths.end(), f.path) == paths.end())
      paths.push_back(f.path);
    occurrences.add(f.seen, max_examples);
  }

  Candidate candidate() const {
    Candidate c = occurrences.candidate("file_template", join({"file", extension, path}, ":", true));
    const auto in_common = std::count_if(lines.begin(), lines.end(),
                                         [](const std::string& l) { return l.find(kWildcard) == std::string::npos; });
    c.invariants = json{{"extension", extension}, {"lines_in_common", static_cast<std::int64_t>(in_common)}};
    c.variables = json{{"file_path", paths}};
    c.template_text = join(lines, "\n");
    return c;
  }
};

// Files of one extension: recent ones waiting for similar ones, and the groups formed.
struct FilesOfExtension {
  std::deque<WrittenFile> recent;
  std::optional<TimePoint> newest;
  std::vector<FileGroup> groups;
};

std::string shown_path(const Event& e, const std::string& path) {
  if (!e.cwd.empty() && path.size() > e.cwd.size() + 1 && path.compare(0, e.cwd.size(), e.cwd) == 0 &&
      path[e.cwd.size()] == '/')
    return path.substr(e.cwd.size() + 1);
  return path;
}

}  // namespace

struct WrittenFiles::Impl {
  std::unordered_map<std::string, FilesOfExtension> files;  // by extension
  double window_hours = 24;
  std::size_t min_occurrences = 3, max_examples = 5;

  void add_written_file(const Event& e, TimePoint t) {
    const std::string* path = input_string(e, "file_path");
    const std::string* content = input_string(e, "content");
    if (!path || !content) return;
    WrittenFile f{sighting_of(e, t), shown_path(e, *path), file_text(*content)};
    if (f.text.blank) return;
    FilesOfExtension& x = files[extension_of(*path)];
    for (auto& g : x.groups) {
      if (similar_files(g.first, f.text)) {
        g.add(f, max_examples);
        return;
      }
    }
    const TimePoint oldest = forget_old_files(x, t);
    if (t < oldest) return;  // too long before the newest to share a window with it
    if (!form_group(x, f)) {
      x.recent.push_back(std::move(f));
      if (x.recent.size() > kMaxPoolFiles) x.recent.pop_front();
    }
  }

  // Drops the waiting files no longer within a window of the newest; returns the window start.
  TimePoint forget_old_files(FilesOfExtension& x, TimePoint t) {
    x.newest = x.newest ? std::max(*x.newest, t) : t;
    const TimePoint oldest = *x.newest - from_hours(window_hours);
    std::erase_if(x.recent, [oldest](const WrittenFile& w) { return *w.seen.time < oldest; });
    return oldest;
  }

  // With enough waiting files similar to `f`, they and `f` form a group and stop waiting.
  bool form_group(FilesOfExtension& x, const WrittenFile& f) {
    std::vector<std::size_t> similar;
    for (std::size_t i = 0; i < x.recent.size(); ++i)
      if (similar_files(x.recent[i].text, f.text)) similar.push_back(i);
    if (similar.size() + 1 < std::max<std::size_t>(min_occurrences, 1)) return false;
    std::vector<const WrittenFile*> members;
    for (const std::size_t i : similar) members.push_back(&x.recent[i]);
    members.push_back(&f);
    std::stable_sort(members.begin(), members.end(),
                     [](const WrittenFile* a, const WrittenFile* b) { return *a->seen.time < *b->seen.time; });
    FileGroup g;
    g.extension = extension_of(f.path);
    for (const WrittenFile* w : members) g.add(*w, max_examples);
    x.groups.push_back(std::move(g));
    for (auto i = similar.rbegin(); i != similar.rend(); ++i)
      x.recent.erase(x.recent.begin() + static_cast<std::ptrdiff_t>(*i));
    return true;
  }
};

WrittenFiles::WrittenFiles(double window_hours, std::size_t min_occurrences, std::size_t max_examples)
    : impl_(std::make_unique<Impl>()) {
  impl_->window_hours = window_hours;
  impl_->min_occurrences = min_occurrences;
  impl_->max_examples = max_examples;
}

WrittenFiles::~WrittenFiles() = default;

void WrittenFiles::add(const Event& e, TimePoint t) { impl_->add_written_file(e, t); }

void WrittenFiles::candidates(std::vector<Candidate>& out) const {
  for (const auto& [ext, x] : impl_->files)
    for (const auto& g : x.groups) out.push_back(g.candidate());
}

}  // namespace pat
