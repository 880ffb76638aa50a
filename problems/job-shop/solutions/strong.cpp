// Strong C++ solution for job-shop: simulated annealing over a precedence-respecting task order.
// Decoding: each task in order goes to the qualified worker that finishes it earliest, after its
// predecessors, its worker and its machine are free. Moves shift one task inside the window its
// predecessors and successors allow.
#include <bits/stdc++.h>
using namespace std;

const double T_START = 0.01;     // ale: param float 0.0001 0.3 log
const double T_END = 0.0002;     // ale: param float 0.000001 0.01 log
const int LOCAL_WINDOW = 12;     // ale: param int 1 200 log
const double TIME_BUDGET = 1.5;  // ale: param float 0.5 1.8

static uint64_t rs = 0x9E3779B97F4A7C15ULL;
static inline uint64_t rnd() { rs ^= rs << 7; rs ^= rs >> 9; return rs; }
static inline int ri(int n) { return (int)(rnd() % (uint64_t)n); }
static inline double rr() { return (rnd() >> 11) * (1.0 / 9007199254740992.0); }

int n, W, K;
vector<int> mach, dead;
vector<vector<int>> dur, preds, succs;
vector<long long> endt, st;
vector<int> wk;

long long decode(const vector<int> &order) {
    static vector<long long> wfree, mfree;
    wfree.assign(W, 0); mfree.assign(K + 1, 0);
    long long cmax = 0, tard = 0;
    for (int i : order) {
        long long ready = 0;
        for (int a : preds[i]) ready = max(ready, endt[a]);
        int m = mach[i];
        if (m > 0) ready = max(ready, mfree[m]);
        long long bf = LLONG_MAX; int bj = -1;
        for (int j = 0; j < W; j++) {
            int d = dur[i][j];
            if (d > 0) {
                long long s = max(wfree[j], ready);
                if (s + d < bf) { bf = s + d; bj = j; }
            }
        }
        st[i] = bf - dur[i][bj]; endt[i] = bf; wk[i] = bj;
        wfree[bj] = bf;
        if (m > 0) mfree[m] = bf;
        cmax = max(cmax, bf);
        if (bf > dead[i]) tard += bf - dead[i];
    }
    return cmax + tard;
}

int main() {
    auto t0 = chrono::steady_clock::now();
    auto elapsed = [&]() { return chrono::duration<double>(chrono::steady_clock::now() - t0).count(); };
    if (!(cin >> n >> W >> K)) return 0;
    mach.resize(n); dead.resize(n); dur.assign(n, vector<int>(W)); preds.resize(n); succs.resize(n);
    for (int i = 0; i < n; i++) {
        cin >> mach[i] >> dead[i];
        for (int j = 0; j < W; j++) cin >> dur[i][j];
        int c; cin >> c;
        for (int e = 0; e < c; e++) { int a; cin >> a; preds[i].push_back(a - 1); succs[a - 1].push_back(i); }
    }
    endt.assign(n, 0); st.assign(n, 0); wk.assign(n, 0);
    // start: input order, or earliest-deadline-first among ready tasks, whichever is better
    vector<int> order(n);
    iota(order.begin(), order.end(), 0);
    long long cur = decode(order);
    {
        vector<int> indeg(n), edd;
        priority_queue<pair<int, int>, vector<pair<int, int>>, greater<>> pq;
        for (int i = 0; i < n; i++) { indeg[i] = preds[i].size(); if (!indeg[i]) pq.push({dead[i], i}); }
        while (!pq.empty()) {
            int i = pq.top().second; pq.pop(); edd.push_back(i);
            for (int s : succs[i]) if (--indeg[s] == 0) pq.push({dead[s], s});
        }
        long long c = decode(edd);
        if (c < cur) { cur = c; order = edd; }
    }
    vector<int> pos(n);
    for (int t = 0; t < n; t++) pos[order[t]] = t;
    long long best = cur;
    vector<int> best_order = order;
    double t_begin = elapsed(), temp = T_START * best;
    for (long long it = 0;; it++) {
        if ((it & 63) == 0) {
            double now = elapsed();
            if (now > TIME_BUDGET) break;
            double frac = min(1.0, (now - t_begin) / max(1e-9, TIME_BUDGET - t_begin));
            temp = T_START * pow(T_END / T_START, frac) * best;
        }
        int a = ri(n), i = order[a];
        int lo = 0, hi = n - 1;
        for (int p : preds[i]) lo = max(lo, pos[p] + 1);
        for (int s : succs[i]) hi = min(hi, pos[s] - 1);
        if (ri(4) != 0) { lo = max(lo, a - LOCAL_WINDOW); hi = min(hi, a + LOCAL_WINDOW); }
        if (hi <= lo) continue;
        int b = lo + ri(hi - lo + 1);
        if (b == a) continue;
        auto shift = [&](int from, int to) {
            int x = order[from];
            if (from < to) for (int t = from; t < to; t++) { order[t] = order[t + 1]; pos[order[t]] = t; }
            else for (int t = from; t > to; t--) { order[t] = order[t - 1]; pos[order[t]] = t; }
            order[to] = x; pos[x] = to;
        };
        shift(a, b);
        long long c = decode(order);
        long long delta = c - cur;
        if (delta <= 0 || rr() < exp(-(double)delta / max(temp, 1e-9))) {
            cur = c;
            if (c < best) { best = c; best_order = order; }
        } else {
            shift(b, a);
        }
    }
    decode(best_order);
    string out;
    for (int i = 0; i < n; i++) out += to_string(wk[i] + 1) + " " + to_string(st[i]) + "\n";
    fputs(out.c_str(), stdout);
    fprintf(stderr, "best %lld\n", best);
}
