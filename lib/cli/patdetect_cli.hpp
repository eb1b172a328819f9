#pragma once
namespace pat {
// patdetect: events in, observation and candidate records out (man 1 patdetect).
int patdetect_main(int argc, char** argv);
}  // namespace pat
