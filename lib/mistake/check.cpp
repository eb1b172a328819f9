#include "mistake/check.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace pat {
namespace {

constexpr std::array<std::string_view, 7> kShellParts = {"",           "program",  "subcommand", "flag",
                                                         "flag_value", "argument", "env"};
constexpr std::array<std::string_view, 4> kPathFacts = {"directory", "missing", "file", "larger_than"};

// ---- Reading JSON that may be anything, never throwing -------------------------------------------

const json* member(const json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::optional<std::string> string_member(const json& j, std::string_view key) {
  const json* m = member(j, key);
  if (m == nullptr || !m->is_string()) return std::nullopt;
  return m->get<std::string>();
}

std::optional<std::uint64_t> count_member(const json& j, std::string_view key) {
  const json* m = member(j, key);
  if (m == nullptr) return std::nullopt;
  if (m->is_number_unsigned()) return m->get<std::uint64_t>();
  if (m->is_number_integer() && m->get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(m->get<std::int64_t>());
  return std::nullopt;
}

std::optional<std::vector<std::string>> text_list(const json* list) {
  if (list == nullptr || !list->is_array() || list->empty() || list->size() > kMaxValues) return std::nullopt;
  std::vector<std::string> out;
  for (const json& v : *list) {
    auto t = scalar_text(v);
    if (!t) return std::nullopt;
    out.push_back(std::move(*t));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

template <std::size_t N>
std::optional<std::size_t> index_of(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return i;
  return std::nullopt;
}

}  // namespace

std::optional<Part> part_from_json(const json& j) {
  Part p;
  const auto param = string_member(j, "param");
  if (!param || param->empty()) return std::nullopt;
  p.param = *param;
  if (const auto shell = string_member(j, "shell")) {
    const auto i = index_of(kShellParts, *shell);
    if (!i || *i == 0) return std::nullopt;
    p.shell = static_cast<ShellPart>(*i);
    p.program = string_member(j, "program").value_or("");
    p.name = string_member(j, "name").value_or("");
    if ((p.shell == ShellPart::flag_value || p.shell == ShellPart::env) && p.name.empty()) return std::nullopt;
  }
  return p;
}

namespace {

std::optional<Predicate> predicate_from_json(const json& j) {
  if (!j.is_object()) return std::nullopt;
  if (const auto session = string_member(j, "session")) {
    if (*session != "lacks") return std::nullopt;
    SessionLacks s;
    s.tool = string_member(j, "tool").value_or("");
    if (s.tool.empty()) return std::nullopt;
    s.program = string_member(j, "program").value_or("");
    s.subcommand = string_member(j, "subcommand").value_or("");
    s.same = string_member(j, "same").value_or("");
    const json* cwd = member(j, "same_cwd");
    s.same_cwd = cwd != nullptr && cwd->is_boolean() && cwd->get<bool>();
    if (!s.subcommand.empty() && s.program.empty()) return std::nullopt;
    return s;
  }
  if (const auto is = string_member(j, "is")) {
    const auto param = string_member(j, "param");
    if (!param || param->empty() || (*is != "missing" && *is != "present")) return std::nullopt;
    return ParamIs{*param, *is == "missing"};
  }
  const json* pj = member(j, "part");
  if (pj == nullptr) return std::nullopt;
  auto part = part_from_json(*pj);
  if (!part) return std::nullopt;
  if (const json* in = member(j, "in")) {
    auto values = text_list(in);
    if (!values) return std::nullopt;
    return ValueIn{*part, std::move(*values)};
  }
  if (const auto shape = string_member(j, "shape")) {
    auto sig = parse_signature(*shape);
    if (!sig) return std::nullopt;
    return ShapeIs{*part, std::move(*sig)};
  }
  if (const json* length = member(j, "length")) {
    if (!length->is_array() || length->size() != 2) return std::nullopt;
    LengthIn l{*part, 0, std::nullopt};
    const json lo_holder = {{"v", (*length)[0]}};
    const auto lo = count_member(lo_holder, "v");
    if (!lo) return std::nullopt;
    l.lo = *lo;
    if (!(*length)[1].is_null()) {
      const json hi_holder = {{"v", (*length)[1]}};
      const auto hi = count_member(hi_holder, "v");
      if (!hi || *hi < l.lo) return std::nullopt;
      l.hi = *hi;
    }
    return l;
  }
  for (const bool suffix : {false, true}) {
    if (const auto text = string_member(j, suffix ? "suffix" : "prefix")) {
      if (text->empty()) return std::nullopt;
      return AffixIs{*part, suffix, *text};
    }
  }
  if (const auto path = string_member(j, "path")) {
    const auto i = index_of(kPathFacts, *path);
    if (!i) return std::nullopt;
    PathIs p{*part, static_cast<PathFact>(*i), 0};
    if (p.fact == PathFact::larger_than) {
      const auto bytes = count_member(j, "bytes");
      if (!bytes) return std::nullopt;
      p.bytes = *bytes;
    }
    return p;
  }
  return std::nullopt;
}

// ---- The earlier form of mistakes ------------------------------------------------------------------

// A shape check of one character class: its single-run signature, where one exists.
std::optional<Predicate> legacy_shape(const Part& part, const json& check) {
  const std::string cls = string_member(check, "shape").value_or("");
  std::uint64_t lo = 1, hi = 4096;
  if (const auto n = count_member(check, "length")) lo = hi = *n;
  if (const auto n = count_member(check, "min_length")) lo = std::max<std::uint64_t>(*n, 1);
  if (const auto n = count_member(check, "max_length")) hi = *n;
  if (lo > hi || hi > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  RunClass rc;
  if (cls == "digits")
    rc = RunClass::digits;
  else if (cls == "hex")
    rc = RunClass::hex;
  else if (cls == "alpha")
    rc = RunClass::alpha;
  else if (cls == "alnum")
    rc = RunClass::alnum;
  else if (cls == "uuid")
    return ShapeIs{part, *parse_signature("hex{8}-hex{4}-hex{4}-hex{4}-hex{12}")};
  else
    return std::nullopt;  // word, url, path, text: no signature says them
  Signature s;
  s.runs.push_back({rc, 0, static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi)});
  return ShapeIs{part, s};
}

std::optional<Check> legacy_check(const json& mistake) {
  Check c;
  if (const json* req = member(mistake, "requires")) {
    std::vector<std::string> tools;
    if (const auto t = string_member(*req, "tool")) tools.push_back(*t);
    if (const json* list = member(*req, "tool"); list != nullptr && list->is_array())
      for (const json& t : *list)
        if (t.is_string()) tools.push_back(t.get<std::string>());
    std::erase_if(tools, [](const std::string& t) { return t.empty(); });
    if (tools.empty() || tools.size() > kMaxPredicates) return std::nullopt;
    const std::string same = string_member(*req, "same").value_or("");
    // "Any of these tools will do": no earlier call of any of them.
    for (const auto& t : tools) c.all.push_back(SessionLacks{t, "", "", same, false});
    if (string_member(*req, "unless").value_or("") == "new_file" && !same.empty() && c.all.size() < kMaxPredicates)
      c.all.push_back(PathIs{Part{same, ShellPart::none, "", ""}, PathFact::file, 0});
    return c;
  }
  const auto param = string_member(mistake, "param");
  const json* check = member(mistake, "check");
  if (!param || param->empty() || check == nullptr) return std::nullopt;
  const std::string type = string_member(*check, "type").value_or("");
  const Part part{*param, ShellPart::none, "", ""};
  std::optional<Predicate> p;
  if (type == "missing") {
    p = ParamIs{*param, true};
  } else if (type == "value") {
    if (auto values = text_list(member(*check, "values"))) p = ValueIn{part, std::move(*values)};
  } else if (type == "shape") {
    p = legacy_shape(part, *check);
  } else if (type == "path") {
    if (const auto prefix = string_member(*check, "prefix"); prefix && !prefix->empty())
      p = AffixIs{part, false, *prefix};
  } else if (type == "program" || type == "subcommand" || type == "flag") {
    const std::string program = string_member(*check, "program").value_or("");
    if (program.empty()) return std::nullopt;
    if (type == "program") {
      p = ValueIn{Part{*param, ShellPart::program, "", ""}, {program}};
    } else {
      const auto value = string_member(*check, type);
      if (!value || value->empty()) return std::nullopt;
      p = ValueIn{Part{*param, type == "flag" ? ShellPart::flag : ShellPart::subcommand, program, ""}, {*value}};
    }
  }
  if (!p) return std::nullopt;
  c.all.push_back(std::move(*p));
  return c;
}

json separation_json(const Separation& s) {
  return {{"failing", s.failing},
          {"failing_matched", s.failing_matched},
          {"successful", s.successful},
          {"successful_matched", s.successful_matched}};
}

std::optional<Separation> separation_from(const json& mistake) {
  const json* s = member(mistake, "separation");
  if (s == nullptr || !s->is_object()) return std::nullopt;
  const auto count = [&](const char* key) {
    return static_cast<std::int64_t>(std::min<std::uint64_t>(count_member(*s, key).value_or(0), 1ULL << 53));
  };
  return Separation{count("failing"), count("failing_matched"), count("successful"), count("successful_matched")};
}

}  // namespace

std::string_view shell_part_name(ShellPart s) { return kShellParts[static_cast<std::size_t>(s)]; }
std::string_view path_fact_name(PathFact f) { return kPathFacts[static_cast<std::size_t>(f)]; }

const Part* part_of(const Predicate& p) {
  return std::visit(
      [](const auto& x) -> const Part* {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ParamIs> || std::is_same_v<T, SessionLacks>)
          return nullptr;
        else
          return &x.part;
      },
      p);
}

json to_json(const Part& p) {
  json j = {{"param", p.param}};
  if (p.shell == ShellPart::none) return j;
  j["shell"] = shell_part_name(p.shell);
  if (!p.program.empty()) j["program"] = p.program;
  if (!p.name.empty()) j["name"] = p.name;
  return j;
}

json to_json(const Predicate& p) {
  struct Writer {
    json operator()(const ParamIs& x) const { return {{"param", x.param}, {"is", x.missing ? "missing" : "present"}}; }
    json operator()(const ValueIn& x) const { return {{"part", to_json(x.part)}, {"in", x.values}}; }
    json operator()(const ShapeIs& x) const {
      return {{"part", to_json(x.part)}, {"shape", signature_text(x.signature)}};
    }
    json operator()(const LengthIn& x) const {
      return {{"part", to_json(x.part)}, {"length", {x.lo, x.hi ? json(*x.hi) : json(nullptr)}}};
    }
    json operator()(const AffixIs& x) const {
      return {{"part", to_json(x.part)}, {x.suffix ? "suffix" : "prefix", x.text}};
    }
    json operator()(const PathIs& x) const {
      json j = {{"part", to_json(x.part)}, {"path", path_fact_name(x.fact)}};
      if (x.fact == PathFact::larger_than) j["bytes"] = x.bytes;
      return j;
    }
    json operator()(const SessionLacks& x) const {
      json j = {{"session", "lacks"}, {"tool", x.tool}};
      if (!x.program.empty()) j["program"] = x.program;
      if (!x.subcommand.empty()) j["subcommand"] = x.subcommand;
      if (!x.same.empty()) j["same"] = x.same;
      if (x.same_cwd) j["same_cwd"] = true;
      return j;
    }
  };
  return std::visit(Writer{}, p);
}

json to_json(const Check& c) {
  json all = json::array();
  for (const auto& p : c.all) all.push_back(to_json(p));
  json j = {{"all", std::move(all)}};
  if (!c.usual.empty()) j["usual"] = c.usual;
  if (c.separation) j["separation"] = separation_json(*c.separation);
  return j;
}

std::optional<Check> check_from_json(const json& mistake) {
  try {
    if (!mistake.is_object()) return std::nullopt;
    std::optional<Check> c;
    if (const json* all = member(mistake, "all")) {
      if (!all->is_array() || all->empty() || all->size() > kMaxPredicates) return std::nullopt;
      c.emplace();
      for (const json& p : *all) {
        auto pred = predicate_from_json(p);
        if (!pred) return std::nullopt;
        c->all.push_back(std::move(*pred));
      }
    } else {
      c = legacy_check(mistake);
      if (!c) return std::nullopt;
    }
    c->usual = string_member(mistake, "usual").value_or("");
    c->separation = separation_from(mistake);
    return c;
  } catch (...) {
    return std::nullopt;  // nothing a store or an import holds may stop a tool
  }
}

}  // namespace pat
