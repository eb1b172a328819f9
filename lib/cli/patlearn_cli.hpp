#pragma once
namespace pat {
// patlearn: observations in, patterns in the store and out (man 1 patlearn).
int patlearn_main(int argc, char** argv);
}  // namespace pat
