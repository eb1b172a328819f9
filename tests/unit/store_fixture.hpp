#pragma once
// A store in a temporary directory for the unit tests that work on patterns: save one (in its
// own transaction, as patlearn does) and read it back.
#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "records/pattern.hpp"
#include "store/pattern_store.hpp"
#include "store/store.hpp"
#include "unit_helpers.hpp"

namespace pat_test {

class PatternStoreFixture {
public:
  PatternStoreFixture() : store_(pat::Store::open(pat::StoreOptions{dir_ / "pat.db", 10000, false})) {}
  pat::Store& store() { return *store_; }

  void save(const pat::Pattern& p) {
    pat::Store::Transaction tx(*store_);
    pat::PatternStore(*store_).save(p, "test");
    tx.commit();
  }

  pat::Pattern get(const std::string& id) {
    auto p = pat::PatternStore(*store_).get(id);
    REQUIRE(p.has_value());
    return *p;
  }

private:
  TempDir dir_;
  std::unique_ptr<pat::Store> store_;
};

}  // namespace pat_test
