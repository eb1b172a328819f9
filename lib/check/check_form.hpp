#pragma once
// The compact form of a check in the check index (check_index.hpp). patcheck reads the checks of
// the called tool on every call, and building a JSON document per check cost it more than the
// rest of the check together; this form is read with no parser and few allocations.
//
// A form is a sequence of fields, each written LENGTH:BYTES (LENGTH in decimal), so a value may
// hold any byte. A part is four fields: param, shell part (its number in ShellPart), program,
// name. A check is its predicates one after another, each a kind field and then its own:
//   m PARAM MISSING(0|1)          ParamIs
//   v PART COUNT VALUE...         ValueIn
//   s PART SIGNATURE              ShapeIs (signature_text)
//   l PART LO HI                  LengthIn (HI empty: no bound)
//   a PART SUFFIX(0|1) TEXT       AffixIs
//   p PART FACT BYTES             PathIs (FACT: its number in PathFact)
//   w TOOL PROGRAM SUBCOMMAND SAME SAME_CWD(0|1)   SessionLacks
// Only the predicates are kept: the rest of a mistake record (what is usual, the separation)
// does not decide a match.
#include <optional>
#include <string>
#include <string_view>

#include "mistake/check.hpp"

namespace pat {

std::string check_form(const Check& c);
std::string part_form(const Part& p);

// What a form says, or nullopt when it is not one that check_form or part_form writes (a cut or
// edited index): the caller then asks the store.
std::optional<Check> check_from_form(std::string_view form);
std::optional<Part> part_from_form(std::string_view form);

}  // namespace pat
