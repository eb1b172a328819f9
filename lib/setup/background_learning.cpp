#include "setup/background_learning.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "store/pattern_store.hpp"
#include "util/error.hpp"
#include "util/file_lock.hpp"
#include "util/time_format.hpp"

namespace pat {
namespace {

constexpr int kLowPriority = 19;  // nice: the agent and its tools come first

fs::path lock_path(const fs::path& db) { return fs::path(db.string() + ".learn.lock"); }
fs::path pending_path(const fs::path& db) { return fs::path(db.string() + ".learn.pending"); }
fs::path log_path(const fs::path& db) { return fs::path(db.string() + ".learn.log"); }

void mark_pending(const fs::path& db) {
  const int fd = ::open(pending_path(db).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0) ::close(fd);
}

// Runs `program args...` in this process with the given standard streams (-1: /dev/null).
[[noreturn]] void exec_with(const fs::path& program, const std::vector<std::string>& args, int in, int out, int err) {
  std::vector<std::string> words = args;
  words.insert(words.begin(), program.string());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const int null = ::open("/dev/null", O_RDWR);
  ::dup2(in >= 0 ? in : null, 0);
  ::dup2(out >= 0 ? out : null, 1);
  ::dup2(err >= 0 ? err : null, 2);
  for (int fd = 3; fd < 256; ++fd) ::close(fd);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

pid_t spawn(const fs::path& program, const std::vector<std::string>& args, int in, int out, int err) {
  const pid_t pid = ::fork();
  if (pid == 0) exec_with(program, args, in, out, err);
  return pid;
}

// Waits for the children until `deadline`; then terminates them. True when all ended in time;
// `failed` names the first that did not exit 0.
bool wait_all(std::vector<std::pair<std::string, pid_t>> children, std::chrono::steady_clock::time_point deadline,
              std::string& failed) {
  bool in_time = true;
  while (!children.empty()) {
    for (auto it = children.begin(); it != children.end();) {
      int status = 0;
      const pid_t r = ::waitpid(it->second, &status, WNOHANG);
      if (r == 0) {
        ++it;
        continue;
      }
      if (failed.empty() && (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0))
        failed = r < 0               ? fmt::format("{}: {}", it->first, std::strerror(errno))
                 : WIFEXITED(status) ? fmt::format("{} exited {}", it->first, WEXITSTATUS(status))
                                     : fmt::format("{} killed by signal {}", it->first, WTERMSIG(status));
      it = children.erase(it);
    }
    if (children.empty()) break;
    if (in_time && std::chrono::steady_clock::now() >= deadline) {
      in_time = false;
      for (const auto& c : children)
        if (c.second > 0) ::kill(c.second, SIGTERM);
      deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    } else if (!in_time && std::chrono::steady_clock::now() >= deadline) {
      for (const auto& c : children)
        if (c.second > 0) ::kill(c.second, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return in_time;
}

// One run: patdetect --resume | patlearn, the programs beside this one.
LearningRun run_once(const LearnOptions& o, const fs::path& bindir) {
  LearningRun run;
  run.trigger = o.trigger;
  run.started_at = now_rfc3339();
  auto store = Store::open(StoreOptions{o.db, 10000, false});
  run.events = events_to_learn(*store);
  // patdetect moves its cursor once its observations are written; should patlearn not take them
  // all, the cursor goes back, so that the next run reads the same events again (merging an
  // observation twice changes nothing).
  const auto cursor = store->cursor(kDetectCursor);
  const std::string db = o.db.string();
  int pipe_fds[2];
  const int log = ::open(log_path(o.db).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    const int err = errno;
    if (log >= 0) ::close(log);
    throw Error(Exit::io_error, fmt::format("pipe: {}", std::strerror(err)));
  }
  const pid_t detect = spawn(bindir / "patdetect", {"--db", db, "--resume"}, -1, pipe_fds[1], log);
  const pid_t learn = spawn(bindir / "patlearn", {"--db", db}, pipe_fds[0], -1, log);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  if (log >= 0) ::close(log);
  std::string failed;
  std::vector<std::pair<std::string, pid_t>> children;
  for (const auto& [name, pid] : {std::pair<std::string, pid_t>{"patdetect", detect}, {"patlearn", learn}}) {
    if (pid > 0)
      children.emplace_back(name, pid);
    else if (failed.empty())
      failed = fmt::format("{} not started: {}", name, std::strerror(errno));
  }
  const bool in_time = wait_all(children, std::chrono::steady_clock::now() + o.max_time, failed);
  run.finished_at = now_rfc3339();
  run.status = !in_time ? "timed_out" : failed.empty() ? "ok" : "failed";
  run.message = !in_time         ? fmt::format("stopped after {} s", o.max_time.count())
                : failed.empty() ? ""
                                 : fmt::format("{} (see {})", failed, log_path(o.db).string());
  if (run.status != "ok") {
    Store::Transaction tx(*store);
    store->set_cursor(kDetectCursor, cursor.value_or(0));
    tx.commit();
  }
  run.patterns = PatternStore(*store).count_active().active;
  record_learning_run(*store, run);
  return run;
}

}  // namespace

bool start_background_learning(const fs::path& db) {
  const auto dir = own_directory();
  if (!dir || ::access((*dir / "patsetup").c_str(), X_OK) != 0) return false;
  const pid_t child = ::fork();
  if (child < 0) return false;
  if (child == 0) {
    // The hook's process returns now: the learner is a grandchild in a session of its own, so
    // that the agent waiting for the hook never waits for it, nor kills it with its group.
    ::setsid();
    if (::fork() != 0) ::_exit(0);
    ::setpriority(PRIO_PROCESS, 0, kLowPriority);
    exec_with(*dir / "patsetup", {"learn", "--db", db.string(), "--trigger", "session-end"}, -1, -1, -1);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return true;
}

LearnResult learn_now(const LearnOptions& o, LearningRun& last) {
  const auto bindir = own_directory();
  if (!bindir) throw Error(Exit::internal, "cannot find the directory of the running program");
  // Work is marked first, so that a run finishing right now sees it.
  mark_pending(o.db);
  bool ran = false;
  while (true) {
    std::optional<FileLock> lock;
    try {
      lock.emplace(lock_path(o.db), std::chrono::milliseconds(0));
    } catch (const Error& e) {
      if (e.code() != Exit::busy) throw;
      return ran ? LearnResult::ran : LearnResult::queued;  // the running one does it
    }
    std::error_code ec;
    while (fs::remove(pending_path(o.db), ec)) {
      last = run_once(o, *bindir);
      ran = true;
    }
    if (ec)  // the mark cannot be removed: one run, and no endless loop over it
      throw Error(Exit::io_error, fmt::format("cannot remove {}: {}", pending_path(o.db).string(), ec.message()));
    lock.reset();
    if (!fs::exists(pending_path(o.db), ec)) return LearnResult::ran;
  }
}

}  // namespace pat
