#include "cli/patdetect_cli.hpp"

int main(int argc, char** argv) { return pat::patdetect_main(argc, argv); }
