#include "cli/patprune_cli.hpp"

int main(int argc, char** argv) { return pat::patprune_main(argc, argv); }
