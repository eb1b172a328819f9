#include "util/content_hash.hpp"

#include <cstring>

namespace pat {
namespace {

// A 64-bit multiply-xorshift construction over 8-byte little-endian words (in the spirit of
// wyhash/murmur finalizers): fast, well mixed, and fully determined by this code.
constexpr std::uint64_t kMul1 = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t kMul2 = 0xBF58476D1CE4E5B9ULL;
constexpr std::uint64_t kMul3 = 0x94D049BB133111EBULL;

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= kMul2;
  x ^= x >> 27;
  x *= kMul3;
  x ^= x >> 31;
  return x;
}

std::uint64_t load64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::uint64_t hash64(std::string_view data, std::uint64_t seed) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  std::uint64_t h = mix(seed ^ (n * kMul1));
  while (n >= 8) {
    h = mix(h ^ (load64(p) * kMul1)) + kMul3;
    p += 8;
    n -= 8;
  }
  std::uint64_t tail = 0;
  for (std::size_t i = 0; i < n; ++i) tail |= std::uint64_t{p[i]} << (8 * i);
  h = mix(h ^ (tail * kMul2) ^ n);
  return mix(h);
}

Hash128 hash128(std::string_view data) {
  // Two independent lanes over one pass of the data: every record id is one of these.
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  std::uint64_t a = mix(0x7061747475736c73ULL ^ (n * kMul1));
  std::uint64_t b = mix(0x6964686173683132ULL ^ (n * kMul3));
  while (n >= 8) {
    const std::uint64_t w = load64(p);
    a = mix(a ^ (w * kMul1)) + kMul3;
    b = mix(b ^ (w * kMul2)) + kMul1;
    p += 8;
    n -= 8;
  }
  std::uint64_t tail = 0;
  for (std::size_t i = 0; i < n; ++i) tail |= std::uint64_t{p[i]} << (8 * i);
  a = mix(mix(a ^ (tail * kMul2) ^ n));
  b = mix(mix(b ^ (tail * kMul1) ^ (n << 32)));
  return {a, b};
}

std::string to_hex(const Hash128& h) {
  static const char* digits = "0123456789abcdef";
  const std::uint64_t parts[2] = {h.high, h.low};
  std::string out(32, '0');
  for (int k = 0; k < 2; ++k)
    for (int i = 0; i < 16; ++i) out[static_cast<std::size_t>(k * 16 + i)] = digits[(parts[k] >> (60 - 4 * i)) & 0xF];
  return out;
}

std::string content_hash(std::string_view data) { return to_hex(hash128(data)); }

}  // namespace pat
