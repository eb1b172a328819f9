// The error templater (detect/line_template.hpp, detect/error_lines.hpp) on any bytes: error
// texts come from every tool an agent runs. Each line's template is tidy (no control characters,
// single spaces, trimmed), keeps valid UTF-8 valid, and does not depend on the buffer it is
// written to; the template of the whole text is found without failing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detect/error_lines.hpp"
#include "detect/line_template.hpp"
#include "harness.hpp"
#include "util/utf8.hpp"

namespace {

using pat_fuzz::require;

// A value of one byte becomes <*>.
constexpr std::size_t kMaxGrowth = 3;

void check_line(std::string_view line, std::string& reused) {
  const std::string fresh = pat::line_template(line);
  // The hot path writes into one buffer again and again: what was there before must not leak.
  pat::line_template(line, reused);
  require(reused == fresh, "the template depends on what the output buffer held");
  require(fresh.size() <= kMaxGrowth * line.size(), "a template more than three times its line");
  for (const char c : fresh) {
    const auto byte = static_cast<unsigned char>(c);
    require(byte >= 0x20 && byte != 0x7F, "a control character in a template");
  }
  require(fresh.empty() || (fresh.front() != ' ' && fresh.back() != ' '), "a template not trimmed");
  require(fresh.find("  ") == std::string::npos, "white space not collapsed in a template");
  if (pat::is_valid_utf8(line)) require(pat::is_valid_utf8(fresh), "valid UTF-8 in gave invalid UTF-8 out");
  const std::string id = pat::template_id(fresh);
  require(id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string::npos,
          "a template id that is not 16 hex digits");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = pat_fuzz::as_text(data, size);
  static std::string reused;
  for (std::size_t begin = 0; begin <= text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    check_line(text.substr(begin, end - begin), reused);
    begin = end + 1;
  }

  const bool valid = pat::is_valid_utf8(text);
  const std::string lines = pat::error_lines(text);
  require(std::count(lines.begin(), lines.end(), '\n') < 3, "more error lines than asked for");
  if (valid) require(pat::is_valid_utf8(lines), "error_lines cut a character");
  // The values of the failing call: here the words of the first line, so that the fuzzer finds
  // texts that quote them.
  std::vector<std::string> call_values;
  const std::string_view first = text.substr(0, text.find('\n'));
  for (std::size_t begin = 0; begin < first.size();) {
    const std::size_t end = std::min(first.find(' ', begin), first.size());
    if (end > begin) call_values.emplace_back(first.substr(begin, end - begin));
    begin = end + 1;
  }
  const std::string whole = pat::failure_template(text, call_values);
  if (valid) require(pat::is_valid_utf8(whole), "failure_template cut a character");
  return 0;
}
