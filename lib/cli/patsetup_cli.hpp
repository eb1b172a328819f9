#pragma once
namespace pat {
// patsetup: agent hooks wired and removed, a doctor, and learning by itself (man 1 patsetup).
int patsetup_main(int argc, char** argv);
}  // namespace pat
