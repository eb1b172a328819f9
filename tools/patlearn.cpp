// patlearn: not implemented yet (its issue has not landed): it says so and exits 70.
#include "cli_common.hpp"

int main(int argc, char** argv) { return pat::not_implemented("patlearn", argc, argv); }
