#include "cli/patlog_cli.hpp"

int main(int argc, char** argv) { return pat::patlog_main(argc, argv); }
