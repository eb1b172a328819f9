#include "ingest/hook_spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/small_file.hpp"
#include "util/time_format.hpp"

namespace pat {

HookSpool::HookSpool(const fs::path& db_path) : dir_(db_path.string() + ".spool") {}

fs::path HookSpool::put(std::string_view bytes, const std::string& received_at) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  ::chmod(dir_.c_str(), 0700);
  const auto t = parse_time(received_at);
  const long long ms = t ? t->time_since_epoch().count() : 0;
  static std::atomic<int> counter{0};
  fs::path file = dir_ / fmt::format("{:013d}-{}-{}.json", ms, ::getpid(), counter++);
  // Written under a name pending() ignores, then renamed: a run draining the spool at the same
  // moment never sees a half-written payload.
  const fs::path partial = file.string() + ".part";
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    throw Error(Exit::cant_create,
                fmt::format("cannot spool the payload to {}: {}", file.string(), std::strerror(errno)));
  // A failed write (a full disk, a file-size limit) leaves no partial file behind.
  const auto fail = [&](Exit code, int err) {
    ::unlink(partial.c_str());
    throw Error(code, fmt::format("cannot spool the payload to {}: {}", file.string(), std::strerror(err)));
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      fail(Exit::io_error, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) fail(Exit::io_error, errno);
  if (::rename(partial.c_str(), file.c_str()) != 0) fail(Exit::cant_create, errno);
  return file;
}

std::vector<HookSpool::Item> HookSpool::pending(std::size_t limit) const {
  std::vector<Item> items;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return items;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.is_directory(ec) || entry.path().extension() != ".json") continue;
    Item item{entry.path(), {}, {}, {}};
    try {
      auto bytes = read_small_file(entry.path(), limit, Exit::io_error);
      if (!bytes) continue;  // drained by another run meanwhile
      item.bytes = std::move(*bytes);
    } catch (const Error& e) {
      item.problem = e.what();
    }
    const std::string stem = entry.path().filename().string();
    const long long ms = std::atoll(stem.substr(0, stem.find('-')).c_str());
    item.received_at = ms > 0 ? format_rfc3339(TimePoint(std::chrono::milliseconds(ms))) : now_rfc3339();
    items.push_back(std::move(item));
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.file < b.file; });
  return items;
}

void HookSpool::remove(const std::vector<Item>& items) const {
  std::error_code ec;
  for (const auto& i : items) fs::remove(i.file, ec);
}

fs::path HookSpool::set_aside(const Item& item) const {
  const fs::path failed = dir_ / "failed";
  std::error_code ec;
  fs::create_directories(failed, ec);
  ::chmod(failed.c_str(), 0700);
  const fs::path to = failed / item.file.filename();
  fs::rename(item.file, to, ec);
  return ec ? item.file : to;
}

}  // namespace pat
