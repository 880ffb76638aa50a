#include <cstdio>
int main() { long long n, s = 0, x; std::scanf("%lld", &n); for (int i = 0; i < n; i++) { std::scanf("%lld", &x); s += x; } std::printf("%lld\n", s); }
