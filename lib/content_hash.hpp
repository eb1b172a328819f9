#pragma once
// Stable content hashes: record ids are hashes of what a record says, so re-running any step on
// the same input produces the same ids and stores nothing twice.
#include <cstdint>
#include <string>
#include <string_view>

namespace pat {

// 128-bit hash of `data` as 32 lowercase hex digits; stable across runs, builds and machines.
std::string content_hash(std::string_view data);

// 64-bit hash, for in-memory tables.
std::uint64_t hash64(std::string_view data, std::uint64_t seed = 0);

}  // namespace pat
