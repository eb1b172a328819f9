#pragma once
// A shell command line as the Bash tool receives it, split into the simple commands it runs
// (through &&, ||, ;, |, &, newlines, subshell parentheses and `$(...)`), each with its
// VAR=value prefixes, program, subcommand, flags and arguments. Quotes and escapes are honoured
// as a POSIX shell does; it never fails on odd input (an unterminated quote ends at the end).
//
// The commands of a substitution ($( ), backticks, <( ), >( )) come before the command that
// uses them, which keeps the substitution as written in its argument; substitutions nested more
// than 16 deep are not split. Redirections and their targets, heredoc bodies and comments are
// dropped; $(( )) and ${ } are arguments, not commands. Compound-command keywords (if, then, do,
// while, !, { ...) are skipped and `for`/`case`/`function` headers dropped. A command of only
// VAR=value words is kept, with an empty program. Bytes are passed through as they are (invalid
// UTF-8 too); valid UTF-8 in gives valid UTF-8 out.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pat {

struct SimpleCommand {
  std::vector<std::string> assignments;  // VAR=value prefixes, as written
  std::string program;                   // as written: "git", "./run.sh", "/usr/bin/env" ...
  std::string name;                      // the program's base name: "git", "run.sh", "env"
  std::string subcommand;                // the first argument when it is a word ("push"), else ""
                                         // (word: [a-z][a-z0-9_:-]*, at most 64 bytes)
  std::vector<std::string> flags;        // -x, -abc, --long, --key (a --key=value keeps only --key)
  std::vector<std::string> args;         // the other arguments, quotes removed, subcommand excluded
                                         // ("--" and what follows it are arguments)
  // The value of each flag that has one: --key=value, or the next word when it is not a flag
  // (`--timeout 300`; that word stays among the arguments too: which flags take a value is the
  // program's business).
  std::vector<std::pair<std::string, std::string>> flag_values;
};

// `sudo`, `doas`, `env`, `time`, `nohup`, `exec`, `command`, `builtin`, `xargs`, `timeout`,
// `nice`, `ionice` and `stdbuf` are looked through, with their own options (`sudo -u x`,
// `env -i A=1`, whose assignments join the prefixes, `timeout 10`): the program is the one they
// run. With nothing to run (`sudo -i`, `env`, `command -v x`) the wrapper is the program.
// `python -m MODULE` (python3, python3.12) runs MODULE: the module is the program.
std::vector<SimpleCommand> split_command_line(std::string_view command);

// The base name of a program as written: "/usr/bin/git" and "git" are "git", "C:\\x\\y.exe" "y.exe".
std::string program_basename(std::string_view program);

// The words of a command line as written, quotes and escapes kept, split at white space outside
// quotes: the lexical view (a quoted message is one word, `&&` is a word), for command-line
// templates. split_command_line is the syntactic one.
std::vector<std::string_view> shell_words(std::string_view command);

}  // namespace pat
