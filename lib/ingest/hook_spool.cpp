#include "ingest/hook_spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "util/error.hpp"
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
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw Error(Exit::io_error, fmt::format("cannot spool the payload to {}: {}", file.string(), std::strerror(err)));
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (::rename(partial.c_str(), file.c_str()) != 0)
    throw Error(Exit::cant_create,
                fmt::format("cannot spool the payload to {}: {}", file.string(), std::strerror(errno)));
  return file;
}

std::vector<HookSpool::Item> HookSpool::pending() const {
  std::vector<Item> items;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return items;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (!entry.is_regular_file(ec) || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) continue;
    std::ostringstream ss;
    ss << in.rdbuf();
    Item item{entry.path(), ss.str(), {}};
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

}  // namespace pat
