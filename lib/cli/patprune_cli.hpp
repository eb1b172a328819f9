#pragma once
namespace pat {
// patprune: decay, archive and restore patterns, remove old events (man 1 patprune).
int patprune_main(int argc, char** argv);
}  // namespace pat
