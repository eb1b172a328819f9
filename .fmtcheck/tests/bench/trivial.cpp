// The floor for process benchmarks: a C++ program that reads nothing and does nothing, linked
// the way the tools are.
int main() { return 0; }
