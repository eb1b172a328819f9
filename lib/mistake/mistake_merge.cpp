#include "mistake/mistake_merge.hpp"

#include <algorithm>
#include <iterator>

namespace pat {
namespace {

double jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  const std::size_t all = a.size() + b.size() - common.size();
  return all == 0 ? 1.0 : static_cast<double>(common.size()) / static_cast<double>(all);
}

bool values_fit(const std::vector<std::string>& values, const Signature& s) {
  return std::all_of(values.begin(), values.end(), [&](const std::string& v) { return fits(s, v); });
}

// How alike two predicates are (0..1), in the terms of check_similarity.
double pair_similarity(const Predicate& a, const Predicate& b) {
  if (a == b) return 1.0;
  if (const auto* sa = std::get_if<SessionLacks>(&a)) {
    const auto* sb = std::get_if<SessionLacks>(&b);
    if (sb == nullptr) return 0.0;
    return sa->tool == sb->tool && sa->program == sb->program && sa->subcommand == sb->subcommand ? 0.8 : 0.0;
  }
  if (const auto* pa = std::get_if<ParamIs>(&a)) {
    const auto* pb = std::get_if<ParamIs>(&b);
    return pb != nullptr && pa->param == pb->param ? 0.3 : 0.0;
  }
  const Part* part_a = part_of(a);
  const Part* part_b = part_of(b);
  if (part_a == nullptr || part_b == nullptr || !(*part_a == *part_b)) return 0.0;
  const auto* va = std::get_if<ValueIn>(&a);
  const auto* vb = std::get_if<ValueIn>(&b);
  const auto* ha = std::get_if<ShapeIs>(&a);
  const auto* hb = std::get_if<ShapeIs>(&b);
  // Programs are the entities of their mistakes: two programs not found are two mistakes.
  if (va && vb) {
    const double j = jaccard(va->values, vb->values);
    return va->part.shell == ShellPart::program && j == 0.0 ? 0.4 : 0.8 + 0.2 * j;
  }
  if (ha && hb) return join(ha->signature, hb->signature) ? 0.9 : 0.3;
  if (va && hb) return values_fit(va->values, hb->signature) ? 0.8 : 0.3;
  if (ha && vb) return values_fit(vb->values, ha->signature) ? 0.8 : 0.3;
  // Bounds that overlap, an affix that holds the other, the same path fact with another size:
  // the same check, seen from other values.
  if (a.index() == b.index()) {
    if (const auto* fa = std::get_if<AffixIs>(&a)) {
      const auto& fb = std::get<AffixIs>(b);
      if (fa->suffix != fb.suffix) return 0.3;
      const bool nested = fa->suffix ? fa->text.ends_with(fb.text) || fb.text.ends_with(fa->text)
                                     : fa->text.starts_with(fb.text) || fb.text.starts_with(fa->text);
      return nested ? 0.9 : 0.8;
    }
    if (const auto* xa = std::get_if<PathIs>(&a)) return xa->fact == std::get<PathIs>(b).fact ? 0.9 : 0.3;
    const auto& la = std::get<LengthIn>(a);
    const auto& lb = std::get<LengthIn>(b);
    const bool overlap = (!la.hi || lb.lo <= *la.hi) && (!lb.hi || la.lo <= *lb.hi);
    return overlap ? 0.9 : 0.8;
  }
  return 0.3;
}

// The predicate covering both, when they are alike enough to merge; `a` otherwise.
Predicate pair_generalise(const Predicate& a, const Predicate& b) {
  if (a == b) return a;
  if (const auto* va = std::get_if<ValueIn>(&a)) {
    if (const auto* vb = std::get_if<ValueIn>(&b); vb && va->part == vb->part) {
      ValueIn out = *va;
      out.values.clear();
      std::set_union(va->values.begin(), va->values.end(), vb->values.begin(), vb->values.end(),
                     std::back_inserter(out.values));
      return out.values.size() <= kMaxValues ? Predicate(out) : a;
    }
    if (const auto* hb = std::get_if<ShapeIs>(&b); hb && va->part == hb->part && values_fit(va->values, hb->signature))
      return *hb;
    return a;
  }
  if (const auto* ha = std::get_if<ShapeIs>(&a)) {
    if (const auto* hb = std::get_if<ShapeIs>(&b); hb && ha->part == hb->part)
      if (auto joined = join(ha->signature, hb->signature)) return ShapeIs{ha->part, std::move(*joined)};
    return a;
  }
  if (const auto* la = std::get_if<LengthIn>(&a)) {
    if (const auto* lb = std::get_if<LengthIn>(&b); lb && la->part == lb->part) {
      LengthIn out = *la;
      out.lo = std::min(la->lo, lb->lo);
      out.hi = la->hi && lb->hi ? std::optional<std::uint64_t>(std::max(*la->hi, *lb->hi)) : std::nullopt;
      return out;
    }
    return a;
  }
  if (const auto* fa = std::get_if<AffixIs>(&a)) {
    if (const auto* fb = std::get_if<AffixIs>(&b); fb && fa->part == fb->part && fa->suffix == fb->suffix) {
      // The longest affix both have.
      const std::string& x = fa->text;
      const std::string& y = fb->text;
      std::size_t n = 0;
      if (fa->suffix) {
        while (n < x.size() && n < y.size() && x[x.size() - 1 - n] == y[y.size() - 1 - n]) ++n;
        if (n > 0) return AffixIs{fa->part, true, x.substr(x.size() - n)};
      } else {
        while (n < x.size() && n < y.size() && x[n] == y[n]) ++n;
        if (n > 0) return AffixIs{fa->part, false, x.substr(0, n)};
      }
    }
    return a;
  }
  if (const auto* xa = std::get_if<PathIs>(&a)) {
    if (const auto* xb = std::get_if<PathIs>(&b); xb && xa->part == xb->part && xa->fact == xb->fact) {
      PathIs out = *xa;
      out.bytes = std::min(xa->bytes, xb->bytes);
      return out;
    }
    return a;
  }
  return a;
}

// The index of b's predicate most like p, and how alike.
std::pair<std::size_t, double> best_partner(const Predicate& p, const Check& b) {
  std::size_t best = b.all.size();
  double score = 0.0;
  for (std::size_t i = 0; i < b.all.size(); ++i) {
    const double s = pair_similarity(p, b.all[i]);
    if (s > score) best = i, score = s;
  }
  return {best, score};
}

}  // namespace

void normalise(Check& c) {
  std::stable_sort(c.all.begin(), c.all.end(), [](const Predicate& a, const Predicate& b) {
    if (a.index() != b.index()) return a.index() < b.index();
    return to_json(a).dump() < to_json(b).dump();
  });
  c.all.erase(std::unique(c.all.begin(), c.all.end()), c.all.end());
}

double check_similarity(const Check& a, const Check& b) {
  if (a.all.empty() || b.all.empty()) return 0.0;
  double sum = 0.0;
  for (const auto& p : a.all) sum += best_partner(p, b).second;
  for (const auto& p : b.all) sum += best_partner(p, a).second;
  return sum / static_cast<double>(a.all.size() + b.all.size());
}

Check generalise(const Check& a, const Check& b) {
  Check out = a;
  for (auto& p : out.all) {
    const auto [i, score] = best_partner(p, b);
    if (i < b.all.size() && score >= 0.8) p = pair_generalise(p, b.all[i]);
  }
  normalise(out);
  if (a.separation || b.separation) {
    const Separation x = a.separation.value_or(Separation{}), y = b.separation.value_or(Separation{});
    out.separation = Separation{x.failing + y.failing, x.failing_matched + y.failing_matched,
                                x.successful + y.successful, x.successful_matched + y.successful_matched};
  }
  if (out.usual.empty()) out.usual = b.usual;
  return out;
}

}  // namespace pat
