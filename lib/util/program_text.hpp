#pragma once
// The program's code mapped in one system call instead of page by page. A hook process lives a
// few milliseconds, and in that time each first touch of a page of code is a page fault, which
// on a virtual machine costs more than the code it loads: patcheck touched some 30 pages of
// text, each a separate fault. One madvise(MADV_POPULATE_READ) over the text maps the pages
// that are already in the page cache at once, which took a fifth of a millisecond off
// patcheck's p50 (scripts/bench). Only for the static tools' hook paths; on a kernel without
// MADV_POPULATE_READ (before Linux 5.14) it does nothing.
namespace pat {

void map_program_text();

}  // namespace pat
