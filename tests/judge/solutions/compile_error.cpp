#include <cstdio>
int main() { undefined_function(); return 0; }
