#pragma once
namespace pat {
// patcheck: a tool call in, a verdict out, before the call runs (man 1 patcheck).
int patcheck_main(int argc, char** argv);
}  // namespace pat
