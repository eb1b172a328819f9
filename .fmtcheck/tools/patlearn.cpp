#include "cli/patlearn_cli.hpp"

int main(int argc, char** argv) { return pat::patlearn_main(argc, argv); }
