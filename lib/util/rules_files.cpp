#include "util/rules_files.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/paths.hpp"
#include "util/small_file.hpp"

namespace pat {
namespace {
constexpr std::size_t kMaxRulesBytes = 16u << 20;
}  // namespace

std::vector<RulesText> load_rules_texts(const std::string& name, const char* builtin,
                                        const std::vector<std::string>& extra_files) {
  std::vector<RulesText> out;
  auto add_file = [&out](const fs::path& p) {
    auto text = read_small_file(p, kMaxRulesBytes, Exit::config);
    if (!text) throw Error(Exit::config, fmt::format("cannot read rules {}: no such file", p.string()));
    out.push_back({std::move(*text), p.string()});
  };
  if (const auto shipped = find_data_file(name))
    add_file(*shipped);
  else
    out.push_back({builtin, "built-in " + name});
  std::error_code ec;
  if (const auto user = config_dir() / name; fs::is_regular_file(user, ec)) add_file(user);
  for (const auto& f : extra_files) add_file(f);
  return out;
}

}  // namespace pat
