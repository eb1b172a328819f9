#include "check/check_form.hpp"

#include <charconv>
#include <type_traits>

namespace pat {
namespace {

class FormWriter {
public:
  void field(std::string_view bytes) {
    out_ += std::to_string(bytes.size());
    out_ += ':';
    out_ += bytes;
  }
  void number(std::uint64_t n) { field(std::to_string(n)); }
  void flag(bool b) { field(b ? "1" : "0"); }
  void part(const Part& p) {
    field(p.param);
    number(static_cast<std::uint64_t>(p.shell));
    field(p.program);
    field(p.name);
  }
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

class FormReader {
public:
  explicit FormReader(std::string_view form) : rest_(form) {}
  bool done() const { return rest_.empty(); }
  // The next field; nullopt at the end or where no field is.
  std::optional<std::string_view> field() {
    std::size_t length = 0;
    const char* begin = rest_.data();
    const char* end = begin + rest_.size();
    const auto r = std::from_chars(begin, end, length);
    if (r.ec != std::errc() || r.ptr == end || *r.ptr != ':') return std::nullopt;
    const auto start = static_cast<std::size_t>(r.ptr - begin) + 1;
    if (length > rest_.size() - start) return std::nullopt;
    const std::string_view f = rest_.substr(start, length);
    rest_.remove_prefix(start + length);
    return f;
  }
  std::optional<std::string> text() {
    const auto f = field();
    if (!f) return std::nullopt;
    return std::string(*f);
  }
  std::optional<std::uint64_t> number() {
    const auto f = field();
    std::uint64_t n = 0;
    if (!f || f->empty() || std::from_chars(f->data(), f->data() + f->size(), n).ptr != f->data() + f->size())
      return std::nullopt;
    return n;
  }
  std::optional<bool> flag() {
    const auto f = field();
    if (!f || (*f != "0" && *f != "1")) return std::nullopt;
    return *f == "1";
  }
  std::optional<Part> part() {
    Part p;
    const auto param = field();
    const auto shell = number();
    const auto program = field();
    const auto name = field();
    if (!param || param->empty() || !shell || !program || !name || *shell > static_cast<std::uint64_t>(ShellPart::env))
      return std::nullopt;
    p.param = *param;
    p.shell = static_cast<ShellPart>(*shell);
    p.program = *program;
    p.name = *name;
    if ((p.shell == ShellPart::flag_value || p.shell == ShellPart::env) && p.name.empty()) return std::nullopt;
    return p;
  }

private:
  std::string_view rest_;
};

std::optional<Predicate> read_predicate(FormReader& in) {
  const auto kind = in.field();
  if (!kind || kind->size() != 1) return std::nullopt;
  if ((*kind)[0] == 'm') {
    auto param = in.text();
    const auto missing = in.flag();
    if (!param || param->empty() || !missing) return std::nullopt;
    return ParamIs{std::move(*param), *missing};
  }
  if ((*kind)[0] == 'w') {
    SessionLacks s;
    auto tool = in.text(), program = in.text(), subcommand = in.text(), same = in.text();
    const auto same_cwd = in.flag();
    if (!tool || tool->empty() || !program || !subcommand || !same || !same_cwd) return std::nullopt;
    if (!subcommand->empty() && program->empty()) return std::nullopt;
    return SessionLacks{std::move(*tool), std::move(*program), std::move(*subcommand), std::move(*same), *same_cwd};
  }
  auto part = in.part();
  if (!part) return std::nullopt;
  switch ((*kind)[0]) {
    case 'v': {
      const auto count = in.number();
      if (!count || *count == 0 || *count > kMaxValues) return std::nullopt;
      ValueIn v{std::move(*part), {}};
      for (std::uint64_t i = 0; i < *count; ++i) {
        auto value = in.text();
        if (!value) return std::nullopt;
        v.values.push_back(std::move(*value));
      }
      return v;
    }
    case 's': {
      const auto text = in.field();
      auto signature = text ? parse_signature(*text) : std::nullopt;
      if (!signature) return std::nullopt;
      return ShapeIs{std::move(*part), std::move(*signature)};
    }
    case 'l': {
      const auto lo = in.number();
      const auto hi = in.field();
      if (!lo || !hi) return std::nullopt;
      LengthIn l{std::move(*part), *lo, std::nullopt};
      if (!hi->empty()) {
        std::uint64_t n = 0;
        if (std::from_chars(hi->data(), hi->data() + hi->size(), n).ptr != hi->data() + hi->size() || n < l.lo)
          return std::nullopt;
        l.hi = n;
      }
      return l;
    }
    case 'a': {
      const auto suffix = in.flag();
      auto text = in.text();
      if (!suffix || !text || text->empty()) return std::nullopt;
      return AffixIs{std::move(*part), *suffix, std::move(*text)};
    }
    case 'p': {
      const auto fact = in.number();
      const auto bytes = in.number();
      if (!fact || !bytes || *fact > static_cast<std::uint64_t>(PathFact::larger_than)) return std::nullopt;
      return PathIs{std::move(*part), static_cast<PathFact>(*fact), *bytes};
    }
    default: return std::nullopt;
  }
}

}  // namespace

std::string part_form(const Part& p) {
  FormWriter out;
  out.part(p);
  return out.take();
}

std::string check_form(const Check& c) {
  FormWriter out;
  for (const auto& predicate : c.all) {
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, ParamIs>) {
            out.field("m");
            out.field(x.param);
            out.flag(x.missing);
          } else if constexpr (std::is_same_v<T, SessionLacks>) {
            out.field("w");
            out.field(x.tool);
            out.field(x.program);
            out.field(x.subcommand);
            out.field(x.same);
            out.flag(x.same_cwd);
          } else if constexpr (std::is_same_v<T, ValueIn>) {
            out.field("v");
            out.part(x.part);
            out.number(x.values.size());
            for (const auto& v : x.values) out.field(v);
          } else if constexpr (std::is_same_v<T, ShapeIs>) {
            out.field("s");
            out.part(x.part);
            out.field(signature_text(x.signature));
          } else if constexpr (std::is_same_v<T, LengthIn>) {
            out.field("l");
            out.part(x.part);
            out.number(x.lo);
            out.field(x.hi ? std::to_string(*x.hi) : std::string());
          } else if constexpr (std::is_same_v<T, AffixIs>) {
            out.field("a");
            out.part(x.part);
            out.flag(x.suffix);
            out.field(x.text);
          } else {
            static_assert(std::is_same_v<T, PathIs>);
            out.field("p");
            out.part(x.part);
            out.number(static_cast<std::uint64_t>(x.fact));
            out.number(x.bytes);
          }
        },
        predicate);
  }
  return out.take();
}

std::optional<Check> check_from_form(std::string_view form) {
  FormReader in(form);
  Check c;
  while (!in.done()) {
    if (c.all.size() == kMaxPredicates) return std::nullopt;
    auto predicate = read_predicate(in);
    if (!predicate) return std::nullopt;
    c.all.push_back(std::move(*predicate));
  }
  if (c.all.empty()) return std::nullopt;
  return c;
}

std::optional<Part> part_from_form(std::string_view form) {
  FormReader in(form);
  auto p = in.part();
  if (!p || !in.done()) return std::nullopt;
  return p;
}

}  // namespace pat
