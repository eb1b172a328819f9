#include "cli/patsetup_cli.hpp"

int main(int argc, char** argv) { return pat::patsetup_main(argc, argv); }
