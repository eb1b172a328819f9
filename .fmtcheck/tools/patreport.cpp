#include "cli/patreport_cli.hpp"

int main(int argc, char** argv) { return pat::patreport_main(argc, argv); }
