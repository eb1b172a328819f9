#include "util/rules_files.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/paths.hpp"

namespace pat {

std::vector<RulesText> load_rules_texts(const std::string& name, const char* builtin,
                                        const std::vector<std::string>& extra_files) {
  std::vector<RulesText> out;
  auto add_file = [&out](const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    if (!f) throw Error(Exit::config, fmt::format("cannot read rules {}", p.string()));
    std::ostringstream ss;
    ss << f.rdbuf();
    out.push_back({ss.str(), p.string()});
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
