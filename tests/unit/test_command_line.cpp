#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "util/command_line.hpp"

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string out = "{";
    for (const auto& s : v) out += (out.size() > 1 ? ", \"" : "\"") + s + "\"";
    return (out + "}").c_str();
  }
};
}  // namespace doctest

namespace {

using Strings = std::vector<std::string>;

Strings names_of(std::string_view command) {
  Strings names;
  for (const auto& c : pat::split_command_line(command)) names.push_back(c.name);
  return names;
}

pat::SimpleCommand only(std::string_view command) {
  const auto cmds = pat::split_command_line(command);
  REQUIRE(cmds.size() == 1);
  return cmds[0];
}

}  // namespace

TEST_SUITE("command_line") {
  TEST_CASE("split_command_line: program, subcommand, flags and arguments") {
    const auto c = only("git push --force -u origin main");
    CHECK(c.program == "git");
    CHECK(c.name == "git");
    CHECK(c.subcommand == "push");
    CHECK(c.flags == Strings{"--force", "-u"});
    CHECK(c.args == Strings{"origin", "main"});
    CHECK(c.assignments.empty());
  }

  TEST_CASE("split_command_line: the subcommand is only the first argument, and only a word") {
    CHECK(only("npm run build").subcommand == "run");
    CHECK(only("npm run build").args == Strings{"build"});
    CHECK(only("docker compose up -d").subcommand == "compose");
    CHECK(only("docker compose up -d").args == Strings{"up"});
    CHECK(only("kubectl get pods").subcommand == "get");
    CHECK(only("npm run build:prod").subcommand == "run");
    CHECK(only("just build_all-2:x").subcommand == "build_all-2:x");
    CHECK(only("ls").subcommand.empty());
    CHECK(only("ls -la src").subcommand.empty());
    CHECK(only("python script.py").subcommand.empty());
    CHECK(only("cat ./README").subcommand.empty());
    CHECK(only("cd /tmp").subcommand.empty());
    CHECK(only("echo Hello").subcommand.empty());
    CHECK(only("node 1abc").subcommand.empty());
  }

  TEST_CASE("split_command_line: --key=value keeps the key, -abc stays one flag, -- ends the flags") {
    const auto c = only("kubectl get pods -n prod --output=json -abc -- -notaflag -");
    CHECK(c.flags == Strings{"-n", "--output", "-abc"});
    CHECK(c.args == Strings{"pods", "prod", "--", "-notaflag", "-"});
  }

  TEST_CASE("split_command_line: program is as written, name the base name") {
    const auto c = only("/usr/bin/just --list");
    CHECK(c.program == "/usr/bin/just");
    CHECK(c.name == "just");
    CHECK(only("./scripts/run.sh x").name == "run.sh");
    CHECK(only("C:\\tools\\node.exe a.js").name == "C:toolsnode.exe");  // unquoted: escapes
    CHECK(only("'C:\\tools\\node.exe' a.js").name == "node.exe");
  }

  TEST_CASE("split_command_line: operators separate simple commands") {
    CHECK(names_of("a && b || c; d | e & f") == Strings{"a", "b", "c", "d", "e", "f"});
    CHECK(names_of("a\nb\n\nc") == Strings{"a", "b", "c"});
    CHECK(names_of("a |& b ;; c") == Strings{"a", "b", "c"});
    CHECK(names_of("a&&b||c;d|e") == Strings{"a", "b", "c", "d", "e"});
    CHECK(names_of("cd /x && npm run build 2>&1 | tail -20") == Strings{"cd", "npm", "tail"});
  }

  TEST_CASE("split_command_line: subshells and groups") {
    CHECK(names_of("(cd build && make -j4) || echo failed &") == Strings{"cd", "make", "echo"});
    CHECK(names_of("{ ls; pwd; }") == Strings{"ls", "pwd"});
    CHECK(names_of("((a)) && ( (b) )") == Strings{"a", "b"});
  }

  TEST_CASE("split_command_line: quotes hide operators and are removed") {
    const auto cmds = pat::split_command_line("echo \"a && b\" 'c | d' e\\;f; ls");
    REQUIRE(cmds.size() == 2);
    CHECK(cmds[0].args == Strings{"a && b", "c | d", "e;f"});
    CHECK(cmds[1].name == "ls");
  }

  TEST_CASE("split_command_line: quoting rules inside double quotes, single quotes and $'...'") {
    CHECK(only(R"(echo "a\"b" "c\d" "e\$f" 'g\h')").args == Strings{"a\"b", "c\\d", "e$f", "g\\h"});
    CHECK(only("echo $'a\\tb\\'c' $\"loc\"").args == Strings{"a\tb'c", "loc"});
    CHECK(only("echo Ab\"cd\"'ef'").args == Strings{"Abcdef"});
    CHECK(only("echo A\\\nb").args == Strings{"Ab"});  // line continuation
  }

  TEST_CASE("split_command_line: Windows-ish paths in double quotes keep their backslashes") {
    const auto cmds = pat::split_command_line(R"(cd "C:\Users\x" && node a.js)");
    REQUIRE(cmds.size() == 2);
    CHECK(cmds[0].name == "cd");
    CHECK(cmds[0].args == Strings{"C:\\Users\\x"});
    CHECK(cmds[1].name == "node");
    CHECK(cmds[1].args == Strings{"a.js"});
  }

  TEST_CASE("split_command_line: VAR=value prefixes") {
    const auto c = only("A=1 B=\"x y\" C+=2 make test");
    CHECK(c.assignments == Strings{"A=1", "B=x y", "C+=2"});
    CHECK(c.name == "make");
    CHECK(c.subcommand == "test");
    CHECK(only("make A=1").args == Strings{"A=1"});  // an argument, not a prefix
    CHECK(only("\"A=1\" ls").name == "A=1");         // quoted: not an assignment
    const auto alone = only("FOO=bar");
    CHECK(alone.assignments == Strings{"FOO=bar"});
    CHECK(alone.program.empty());
    CHECK(only("arr=(a b c) echo x").assignments == Strings{"arr=(a b c)"});
  }

  TEST_CASE("split_command_line: sudo, env, time, nohup, exec, command, xargs, timeout are looked through") {
    const auto c = only("sudo -u root -E env -i A=1 timeout -s KILL 10 nohup just build --release");
    CHECK(c.name == "just");
    CHECK(c.subcommand == "build");
    CHECK(c.assignments == Strings{"A=1"});
    CHECK(c.flags == Strings{"--release"});
    CHECK(only("time nohup exec command git status").subcommand == "status");
    CHECK(only("sudo --user=root apt install x").name == "apt");
    CHECK(only("sudo --user root apt install x").name == "apt");
    CHECK(only("sudo -uroot apt").name == "apt");
    CHECK(only("nice -n 10 make").name == "make");
    CHECK(only("env -- ls").name == "ls");
    CHECK(names_of("find . -name '*.o' | xargs -0 -n 1 -I{} rm -f {}") == Strings{"find", "rm"});
    CHECK(only("/usr/bin/env python3 x.py").name == "python3");
  }

  TEST_CASE("split_command_line: a wrapper with nothing to run is the program") {
    CHECK(only("sudo -i").name == "sudo");
    CHECK(only("env").name == "env");
    CHECK(only("env A=1").name == "env");
    CHECK(only("env A=1").args == Strings{"A=1"});
    CHECK(only("time").name == "time");
    const auto v = only("command -v just");
    CHECK(v.name == "command");  // only asks where `just` is, does not run it
    CHECK(v.args == Strings{"just"});
  }

  TEST_CASE("split_command_line: $( ) and backticks are commands of their own, run first") {
    const auto cmds = pat::split_command_line("echo `date +%s` $(git rev-parse --short HEAD)");
    REQUIRE(cmds.size() == 3);
    CHECK(cmds[0].name == "date");
    CHECK(cmds[1].name == "git");
    CHECK(cmds[1].subcommand == "rev-parse");
    CHECK(cmds[1].flags == Strings{"--short"});
    CHECK(cmds[2].name == "echo");
    CHECK(cmds[2].args == Strings{"`date +%s`", "$(git rev-parse --short HEAD)"});
    CHECK(names_of("x=\"$(a $(b | c))\"; d") == Strings{"b", "c", "a", "", "d"});  // x= runs no program
    CHECK(names_of("diff <(sort a) >(tee b)") == Strings{"sort", "tee", "diff"});
    CHECK(names_of("echo $((1 + 2)) ${X:-a b} ${#Y}") == Strings{"echo"});
    CHECK(only("echo ${X:-a b}").args == Strings{"${X:-a b}"});
  }

  TEST_CASE("split_command_line: a substitution does not make the enclosing word a subcommand") {
    CHECK(names_of("git $(echo push)") == Strings{"echo", "git"});
    CHECK(pat::split_command_line("git $(echo push)")[1].subcommand.empty());
  }

  TEST_CASE("split_command_line: heredoc bodies are not commands") {
    CHECK(names_of("cat <<EOF | grep x\nls -la\n(foo) && bar\nEOF\nmake install") == Strings{"cat", "grep", "make"});
    CHECK(names_of("cat <<'EOF' > f.txt\nrm -rf /\nEOF") == Strings{"cat"});
    CHECK(names_of("cat <<-\"END\"\n\trm x\n\tEND\nls") == Strings{"cat", "ls"});
    CHECK(names_of("cat <<A <<B\na1\nA\nb1\nB\nls") == Strings{"cat", "ls"});
    CHECK(names_of("cat <<EOF\nnever ends") == Strings{"cat"});
    CHECK(names_of("cat <<< 'here string' && ls") == Strings{"cat", "ls"});
  }

  TEST_CASE("split_command_line: a heredoc inside $( ) with quotes and parentheses in its body") {
    const auto cmds =
        pat::split_command_line("git commit -m \"$(cat <<'EOF'\nfix: don't break (really\n)\nEOF\n)\" && git push");
    REQUIRE(cmds.size() == 3);
    CHECK(cmds[0].name == "cat");
    CHECK(cmds[1].subcommand == "commit");
    CHECK(cmds[1].flags == Strings{"-m"});
    CHECK(cmds[2].subcommand == "push");
  }

  TEST_CASE("split_command_line: redirections are not arguments") {
    const auto c = only("make build > out.log 2>&1 < in.txt 2>/dev/null &>all.log >>app.log 3<>rw >| f");
    CHECK(c.subcommand == "build");
    CHECK(c.args.empty());
    CHECK(c.flags.empty());
    CHECK(only("echo A>b").args == Strings{"A"});
    CHECK(only("echo A2>b").args == Strings{"A2"});
    CHECK(only("echo \"2\">b").args == Strings{"2"});
    CHECK(only("> out.txt ls").name == "ls");
    CHECK(pat::split_command_line("> out.txt").empty());
  }

  TEST_CASE("split_command_line: comments are ignored, # inside a word is not one") {
    CHECK(names_of("ls # rm -rf /\npwd") == Strings{"ls", "pwd"});
    CHECK(only("echo a#b").args == Strings{"a#b"});
    CHECK(pat::split_command_line("# only a comment").empty());
  }

  TEST_CASE("split_command_line: compound command keywords") {
    CHECK(names_of("if [ -f x ]; then rm x; else touch x; fi") == Strings{"[", "rm", "touch"});
    CHECK(names_of("for f in *.txt; do wc -l \"$f\"; done") == Strings{"wc"});
    CHECK(names_of("while true; do sleep 1; done") == Strings{"true", "sleep"});
    CHECK(names_of("! grep -q x f") == Strings{"grep"});
  }

  TEST_CASE("split_command_line: empty and blank input") {
    CHECK(pat::split_command_line("").empty());
    CHECK(pat::split_command_line("   \n\t ; && |").empty());
  }

  TEST_CASE("split_command_line: unterminated quotes and substitutions end at the end") {
    CHECK(only("echo 'unterminated && ls").args == Strings{"unterminated && ls"});
    CHECK(only("echo \"unterminated && ls").args == Strings{"unterminated && ls"});
    CHECK(names_of("echo \"x $(ls -l") == Strings{"ls", "echo"});
    CHECK(names_of("echo `date") == Strings{"date", "echo"});
    CHECK(names_of("echo ${X") == Strings{"echo"});
    CHECK(names_of("echo $'a\\") == Strings{"echo"});
    CHECK(names_of("echo \\") == Strings{"echo"});
  }

  TEST_CASE("split_command_line: garbage never crashes") {
    for (const std::string& s : Strings{")))(((", "&&&|||;;;", "$(",  "$((",      "`",
                                        "'",      "\"",        "\\",  "<<",       "<<<",
                                        "<(",     ">(",        "${",  "2>",       "&>",
                                        "$'",     "$\"",       "a=(", "((((",     "$($($(",
                                        "<<EOF",  "<< \"",     "#",   "\x01\x02", std::string("a\0b", 3)}) {
      CAPTURE(s);
      CHECK_NOTHROW(pat::split_command_line(s));
    }
  }

  TEST_CASE("split_command_line: invalid UTF-8 passes through") {
    const auto c = only("echo \xff\xfe 'caf\xc3\xa9'");
    CHECK(c.args == Strings{"\xff\xfe", "caf\xc3\xa9"});
  }

  TEST_CASE("split_command_line: 10,000 nested parentheses or substitutions do not overflow") {
    const std::string parens = std::string(10000, '(') + "ls" + std::string(10000, ')');
    CHECK(names_of(parens) == Strings{"ls"});
    std::string subs;
    for (int i = 0; i < 10000; ++i) subs += "echo $(";
    subs += "ls";
    subs += std::string(10000, ')');
    const auto cmds = pat::split_command_line(subs);
    CHECK(!cmds.empty());
    CHECK(cmds.size() <= 40);  // the levels past the depth cap stay one argument
    CHECK(cmds.back().name == "echo");
    std::string open_only;
    for (int i = 0; i < 10000; ++i) open_only += "$( ( `";
    CHECK_NOTHROW(pat::split_command_line(open_only));
    std::string quotes;
    for (int i = 0; i < 10000; ++i) quotes += "\"$(";
    CHECK_NOTHROW(pat::split_command_line(quotes));
  }

}  // TEST_SUITE
