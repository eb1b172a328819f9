#include "cli/patcheck_cli.hpp"
#include "util/program_text.hpp"

// Before the static constructors, which touch code of their own.
__attribute__((constructor(101))) static void map_text_first() { pat::map_program_text(); }

int main(int argc, char** argv) { return pat::patcheck_main(argc, argv); }
