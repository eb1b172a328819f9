// The shell command-line splitter (util/command_line.hpp) on any bytes: the Bash tool's command
// is whatever an agent wrote. It never fails, keeps valid UTF-8 valid, and what it returns is
// bounded by its input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness.hpp"
#include "util/command_line.hpp"
#include "util/utf8.hpp"

namespace {

using pat_fuzz::require;

// The command line and up to 16 nested substitutions are split (command_line.hpp); at each level
// a byte of input lands in at most two of the returned strings (a program and its name, a flag
// and its value among the flags and the flag values, a value among the flag values and the
// arguments).
constexpr std::size_t kLevels = 17;
constexpr std::size_t kCopiesPerLevel = 2;

// Adds the size of `s` to `total` and checks that valid UTF-8 in gave valid UTF-8 out.
void count(std::string_view s, bool valid_input, std::size_t& total) {
  if (valid_input) require(pat::is_valid_utf8(s), "valid UTF-8 in gave invalid UTF-8 out");
  total += s.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line = pat_fuzz::as_text(data, size);
  const bool valid = pat::is_valid_utf8(line);

  std::size_t total = 0;
  for (const pat::SimpleCommand& c : pat::split_command_line(line)) {
    require(!c.program.empty() || !c.assignments.empty(), "a command with neither a program nor an assignment");
    require(c.name == pat::program_basename(c.program), "the name is not the program's base name");
    require(c.name.find_first_of("/\\") == std::string::npos, "a base name with a directory");
    for (const std::string& a : c.assignments) {
      require(a.find('=') != std::string::npos, "an assignment without =");
      count(a, valid, total);
    }
    count(c.program, valid, total);
    count(c.name, valid, total);
    count(c.subcommand, valid, total);
    for (const std::string& f : c.flags) {
      require(f.size() >= 2 && f[0] == '-', "a flag that does not start with -");
      count(f, valid, total);
    }
    for (const std::string& a : c.args) count(a, valid, total);
    for (const auto& [flag, value] : c.flag_values) {
      require(flag.size() >= 2 && flag[0] == '-', "a flag value for something that is not a flag");
      count(flag, valid, total);
      count(value, valid, total);
    }
  }
  require(total <= kLevels * kCopiesPerLevel * size, "more output than the input can give");

  // The lexical view: words as written, each a non-empty piece of the line without white space
  // around it, in order.
  const char* previous_end = line.data();
  for (const std::string_view word : pat::shell_words(line)) {
    require(!word.empty(), "an empty word");
    require(word.data() >= previous_end && word.data() + word.size() <= line.data() + line.size(),
            "a word that is not a later piece of the line");
    previous_end = word.data() + word.size();
  }
  return 0;
}
