#pragma once
namespace pat {
// patreport: Markdown and JSON reports of the store, and context for agent sessions (man 1 patreport).
int patreport_main(int argc, char** argv);
}  // namespace pat
