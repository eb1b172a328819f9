#pragma once
namespace pat {
inline constexpr const char* kVersion = "0.1.0";
}
