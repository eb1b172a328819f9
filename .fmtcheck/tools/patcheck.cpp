#include "cli/patcheck_cli.hpp"

int main(int argc, char** argv) { return pat::patcheck_main(argc, argv); }
