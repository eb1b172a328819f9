// exec_timer [--stdout FILE] [--stderr FILE] RUNS INPUT -- COMMAND [ARGS...]
// Runs COMMAND RUNS times, each with INPUT on its stdin and stdout/stderr sent to /dev/null, and
// prints the wall time of each whole process (fork to exit) as p50/p95/min/mean in milliseconds.
// Every "@RUN@" in INPUT is replaced by the run's number, so that each run can get a distinct
// payload. --stdout and --stderr append what the runs write there to FILE instead, for a caller
// that counts what the timed command answered. A benchmark helper for scripts/bench: process
// start-up is part of what is measured.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  const char* out_path = "/dev/null";
  const char* err_path = "/dev/null";
  int arg = 1;
  for (; arg + 1 < argc; arg += 2) {
    if (std::strcmp(argv[arg], "--stdout") == 0)
      out_path = argv[arg + 1];
    else if (std::strcmp(argv[arg], "--stderr") == 0)
      err_path = argv[arg + 1];
    else
      break;
  }
  if (argc - arg < 4 || std::strcmp(argv[arg + 2], "--") != 0) {
    std::fprintf(stderr, "usage: exec_timer [--stdout FILE] [--stderr FILE] RUNS INPUT -- COMMAND [ARGS...]\n");
    return 64;
  }
  const int runs = std::atoi(argv[arg]);
  char** command = argv + arg + 3;
  std::ifstream in_file(argv[arg + 1], std::ios::binary);
  if (!in_file) {
    std::perror("exec_timer: input");
    return 66;
  }
  std::ostringstream text;
  text << in_file.rdbuf();
  const std::string payload = text.str();
  char input[] = "/tmp/exec_timer.XXXXXX";
  const int tmp = ::mkstemp(input);
  if (tmp < 0) {
    std::perror("exec_timer: mkstemp");
    return 73;
  }
  ::close(tmp);
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(runs));
  for (int i = 0; i < runs; ++i) {
    std::string this_run = payload;
    for (std::size_t at = this_run.find("@RUN@"); at != std::string::npos; at = this_run.find("@RUN@", at))
      this_run.replace(at, 5, std::to_string(i));
    std::ofstream(input, std::ios::binary | std::ios::trunc) << this_run;
    const int in = ::open(input, O_RDONLY);
    const int out = ::open(out_path, O_WRONLY | O_APPEND | O_CREAT, 0600);
    const int err = ::open(err_path, O_WRONLY | O_APPEND | O_CREAT, 0600);
    if (in < 0 || out < 0 || err < 0) {
      std::perror("exec_timer: open");
      return 66;
    }
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::execvp(command[0], command);
      _exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    const auto end = std::chrono::steady_clock::now();
    ::close(in);
    ::close(out);
    ::close(err);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "exec_timer: %s failed (status %d)\n", command[0], status);
      return 70;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  ::unlink(input);
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) { return ms[static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1) + 0.5)]; };
  std::printf("{\"runs\":%d,\"p50_ms\":%.3f,\"p95_ms\":%.3f,\"min_ms\":%.3f,\"mean_ms\":%.3f}\n", runs, at(0.5),
              at(0.95), ms.front(), std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size()));
}
