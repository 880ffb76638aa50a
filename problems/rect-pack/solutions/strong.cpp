// Strong C++ solution for rect-pack: simulated annealing on booth edges.
// A move shifts one edge of one booth; growing trims the booths it runs into, as long as
// every booth keeps its point. Same idea as strong.py, with the whole time budget to spend.
#include <bits/stdc++.h>
using namespace std;

static const double TIME_BUDGET = 1.5;      // ale: param float 0.5 1.7
static const double T_START = 0.03;         // ale: param float 0.0005 0.5 log
static const double MAX_STEP_FRAC = 0.1;    // ale: param float 0.005 0.5 log
static const double T_END = 0.0001;

struct Rng {
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    uint64_t next() { s ^= s << 7; s ^= s >> 9; return s; }
    int below(int n) { return (int)(next() % (uint64_t)n); }
    double unit() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
};

static double sat(long long r, long long w, long long h) {
    double s = (double)w * (double)h, rr = (double)r;
    double ratio = s < rr ? s / rr : rr / s;
    double p = 1.0 - (1.0 - ratio) * (1.0 - ratio);
    long long lo = min(w, h), hi = max(w, h);
    if (hi > 4 * lo) p *= 0.5;
    return p;
}

int main() {
    auto t0 = chrono::steady_clock::now();
    auto elapsed = [&]() { return chrono::duration<double>(chrono::steady_clock::now() - t0).count(); };
    int L, n;
    if (scanf("%d %d", &L, &n) != 2) return 0;
    vector<array<long long, 2>> P(n);
    vector<long long> r(n);
    for (int i = 0; i < n; i++) scanf("%lld %lld %lld", &P[i][0], &P[i][1], &r[i]);
    vector<array<long long, 4>> R(n), best;
    vector<double> sc(n);
    double total = 0;
    for (int i = 0; i < n; i++) {
        R[i] = {P[i][0], P[i][1], P[i][0] + 1, P[i][1] + 1};
        sc[i] = sat(r[i], 1, 1);
        total += sc[i];
    }
    best = R;
    double best_total = total;
    Rng rng;
    vector<int> trim(n);
    double progress = 0, T = T_START;
    long long maxstep = max(1LL, (long long)(L * MAX_STEP_FRAC));
    for (long long it = 0;; it++) {
        if ((it & 1023) == 0) {
            progress = elapsed() / TIME_BUDGET;
            if (progress >= 1.0) break;
            T = T_START * pow(T_END / T_START, progress);
            maxstep = max(1LL, (long long)(L * MAX_STEP_FRAC * (1 - progress) * (1 - progress)));
        }
        int i = rng.below(n), side = rng.below(4);
        int axis = side % 2, other = 1 - axis;
        bool hi_side = side >= 2;
        long long lo_v = R[i][axis], hi_v = R[i][axis + 2];
        long long span_o = R[i][other + 2] - R[i][other];
        long long nv;
        if (rng.unit() < 0.25) {
            long long need = rng.unit() < 0.5 ? (r[i] + span_o - 1) / span_o : r[i] / span_o;
            nv = hi_side ? lo_v + need : hi_v - need;
        } else {
            long long d = 1 + rng.below((int)maxstep);
            if (rng.next() & 1) d = -d;
            nv = (hi_side ? hi_v : lo_v) + d;
        }
        bool grow;
        if (hi_side) {
            if (nv > L || nv <= P[i][axis] || nv == hi_v) continue;
            grow = nv > hi_v;
        } else {
            if (nv < 0 || nv > P[i][axis] || nv == lo_v) continue;
            grow = nv < lo_v;
        }
        array<long long, 4> nr = R[i];
        nr[side] = nv;
        double new_pi = sat(r[i], nr[2] - nr[0], nr[3] - nr[1]);
        double delta = new_pi - sc[i];
        int m = 0;
        bool ok = true;
        if (grow) {
            for (int j = 0; j < n && ok; j++) {
                if (j == i) continue;
                auto &q = R[j];
                if (max(q[0], nr[0]) < min(q[2], nr[2]) && max(q[1], nr[1]) < min(q[3], nr[3])) {
                    long long w = q[2] - q[0], h = q[3] - q[1];
                    if (hi_side) {
                        if (P[j][axis] < nv || q[axis + 2] <= nv) { ok = false; break; }
                        if (axis == 0) w = q[2] - nv; else h = q[3] - nv;
                    } else {
                        if (P[j][axis] >= nv || q[axis] >= nv) { ok = false; break; }
                        if (axis == 0) w = nv - q[0]; else h = nv - q[1];
                    }
                    trim[m++] = j;
                    delta += sat(r[j], w, h) - sc[j];
                }
            }
        }
        if (!ok) continue;
        if (delta >= 0 || rng.unit() < exp(delta / T)) {
            R[i] = nr;
            sc[i] = new_pi;
            for (int k = 0; k < m; k++) {
                int j = trim[k];
                if (hi_side) R[j][axis] = nv; else R[j][axis + 2] = nv;
                sc[j] = sat(r[j], R[j][2] - R[j][0], R[j][3] - R[j][1]);
            }
            total += delta;
            if (total > best_total + 1e-12) { best_total = total; best = R; }
        }
    }
    string out;
    for (auto &q : best) out += to_string(q[0]) + " " + to_string(q[1]) + " " + to_string(q[2]) + " " + to_string(q[3]) + "\n";
    fputs(out.c_str(), stdout);
    fprintf(stderr, "score_sum %.4f\n", best_total);
    return 0;
}
