#pragma once
namespace pat {
// patlog's command line: everything main does.
int patlog_main(int argc, char** argv);
}  // namespace pat
