#pragma once
// Stable content hashes: record ids are hashes of what a record says, so re-running any step on
// the same input produces the same ids and stores nothing twice.
#include <cstdint>
#include <string>
#include <string_view>

namespace pat {

struct Hash128 {
  std::uint64_t high = 0, low = 0;
};

// 128-bit hash of `data`; stable across runs, builds and machines.
Hash128 hash128(std::string_view data);
std::string to_hex(const Hash128& h);  // 32 lowercase hex digits

// to_hex(hash128(data)): the form of every record id.
std::string content_hash(std::string_view data);

// 64-bit hash, for in-memory tables.
std::uint64_t hash64(std::string_view data, std::uint64_t seed = 0);

}  // namespace pat
