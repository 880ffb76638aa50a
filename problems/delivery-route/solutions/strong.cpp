// Strong C++ solution for delivery-route: sweep start + simulated annealing.
// Moves: relocate, swap, intra-route 2-opt, inter-route 2-opt* (tail exchange), guided by
// k-nearest-neighbour lists. Capacity is never violated.
#include <bits/stdc++.h>
using namespace std;

const double T_START = 30.0;   // ale: param float 0.5 500 log
const double T_END = 0.3;      // ale: param float 0.01 20 log
const int KNN = 12;            // ale: param int 4 40
const int EXTRA_ROUTES = 3;    // ale: param int 0 20
const double TIME_BUDGET = 1.5;  // ale: param float 0.5 1.8

static uint64_t rng_state = 88172645463325252ULL;
static inline uint64_t rnd() {
    rng_state ^= rng_state << 7;
    rng_state ^= rng_state >> 9;
    return rng_state;
}
static inline int rint_(int n) { return (int)(rnd() % (uint64_t)n); }
static inline double rreal() { return (rnd() >> 11) * (1.0 / 9007199254740992.0); }

int n, Q, NR;
vector<double> D;  // (n+1)^2
vector<int> dem;
vector<vector<int>> route;
vector<int> load_, rt, ps;

static inline double dist(int a, int b) { return D[(size_t)a * (n + 1) + b]; }
static inline int node_at(int r, int k) {
    return (k < 0 || k >= (int)route[r].size()) ? 0 : route[r][k];
}
static void reindex(int r) {
    for (int k = 0; k < (int)route[r].size(); k++) { rt[route[r][k]] = r; ps[route[r][k]] = k; }
}
static double total_cost() {
    double t = 0;
    for (auto &rr : route) {
        int prev = 0;
        for (int c : rr) { t += dist(prev, c); prev = c; }
        t += dist(prev, 0);
    }
    return t;
}

int main() {
    auto t0 = chrono::steady_clock::now();
    auto elapsed = [&]() { return chrono::duration<double>(chrono::steady_clock::now() - t0).count(); };
    if (!(cin >> n >> Q)) return 0;
    vector<double> xs(n + 1), ys(n + 1);
    dem.assign(n + 1, 0);
    cin >> xs[0] >> ys[0];
    for (int i = 1; i <= n; i++) cin >> xs[i] >> ys[i] >> dem[i];
    D.assign((size_t)(n + 1) * (n + 1), 0);
    for (int i = 0; i <= n; i++)
        for (int j = 0; j <= n; j++) D[(size_t)i * (n + 1) + j] = hypot(xs[i] - xs[j], ys[i] - ys[j]);
    int K = max(1, min(KNN, n - 1));
    vector<vector<int>> knn(n + 1);
    for (int i = 1; i <= n; i++) {
        vector<int> o;
        for (int j = 1; j <= n; j++) if (j != i) o.push_back(j);
        partial_sort(o.begin(), o.begin() + K, o.end(), [&](int a, int b) { return dist(i, a) < dist(i, b); });
        o.resize(K);
        knn[i] = o;
    }
    // sweep start
    vector<pair<double, int>> ang;
    for (int i = 1; i <= n; i++) ang.push_back({atan2(ys[i] - ys[0], xs[i] - xs[0]), i});
    sort(ang.begin(), ang.end());
    {
        vector<int> cur; int ld = 0;
        for (auto &[a, i] : ang) {
            if (ld + dem[i] > Q) { route.push_back(cur); cur.clear(); ld = 0; }
            cur.push_back(i); ld += dem[i];
        }
        route.push_back(cur);
    }
    for (int e = 0; e < EXTRA_ROUTES; e++) route.push_back({});
    NR = route.size();
    load_.assign(NR, 0); rt.assign(n + 1, 0); ps.assign(n + 1, 0);
    for (int r = 0; r < NR; r++) {
        for (int c : route[r]) load_[r] += dem[c];
        reindex(r);
    }
    double cost = total_cost(), best = cost;
    auto best_route = route;
    double temp = T_START;
    double t_begin = elapsed();
    vector<int> tmp;
    for (long long it = 0;; it++) {
        if ((it & 255) == 0) {
            double now = elapsed();
            if (now > TIME_BUDGET) break;
            double frac = min(1.0, (now - t_begin) / max(1e-9, TIME_BUDGET - t_begin));
            temp = T_START * pow(T_END / T_START, frac);
        }
        int u = 1 + rint_(n);
        int w = knn[u][rint_(K)];
        int ru = rt[u], iu = ps[u];
        int mv = rint_(4);
        double delta;
        auto accept = [&](double dl) { return dl <= 0 || rreal() < exp(-dl / temp); };
        if (mv == 0) {
            int rw = rt[w], iw = ps[w];
            if (ru != rw && load_[rw] + dem[u] > Q) continue;
            int a = node_at(ru, iu - 1), b = node_at(ru, iu + 1);
            int p, pq;
            if (rint_(2) == 0) { p = w; pq = node_at(rw, iw + 1); }
            else { p = node_at(rw, iw - 1); pq = w; }
            if (p == u || pq == u) continue;
            delta = dist(a, b) - dist(a, u) - dist(u, b) + dist(p, u) + dist(u, pq) - dist(p, pq);
            if (!accept(delta)) continue;
            route[ru].erase(route[ru].begin() + iu);
            load_[ru] -= dem[u];
            int pos = 0;
            if (p != 0) {
                for (int k = 0; k < (int)route[rw].size(); k++) if (route[rw][k] == p) { pos = k + 1; break; }
            }
            route[rw].insert(route[rw].begin() + pos, u);
            load_[rw] += dem[u];
            reindex(ru);
            if (rw != ru) reindex(rw);
            cost += delta;
        } else if (mv == 1) {
            int rw = rt[w], iw = ps[w];
            int j = iw + (rint_(2) == 0 ? 1 : -1);
            if (j < 0 || j >= (int)route[rw].size()) continue;
            int v = route[rw][j], rv = rw, iv = j;
            if (v == u) continue;
            if (ru == rv && abs(iu - iv) <= 1) continue;
            if (ru != rv && (load_[ru] - dem[u] + dem[v] > Q || load_[rv] - dem[v] + dem[u] > Q)) continue;
            int a = node_at(ru, iu - 1), b = node_at(ru, iu + 1);
            int c = node_at(rv, iv - 1), e = node_at(rv, iv + 1);
            delta = dist(a, v) + dist(v, b) - dist(a, u) - dist(u, b) + dist(c, u) + dist(u, e) - dist(c, v) - dist(v, e);
            if (!accept(delta)) continue;
            route[ru][iu] = v; route[rv][iv] = u;
            rt[u] = rv; ps[u] = iv; rt[v] = ru; ps[v] = iu;
            load_[ru] += dem[v] - dem[u]; load_[rv] += dem[u] - dem[v];
            cost += delta;
        } else if (mv == 2) {
            if (rt[w] != ru) continue;
            int i = iu, j = ps[w];
            if (i > j) swap(i, j);
            if (rint_(6) == 0) { i = -1; j = iu; }
            if (j - i < 2) continue;
            int ni = node_at(ru, i), ni1 = route[ru][i + 1], nj = route[ru][j], nj1 = node_at(ru, j + 1);
            delta = dist(ni, nj) + dist(ni1, nj1) - dist(ni, ni1) - dist(nj, nj1);
            if (!accept(delta)) continue;
            reverse(route[ru].begin() + i + 1, route[ru].begin() + j + 1);
            reindex(ru);
            cost += delta;
        } else {
            int rw = rt[w], iw = ps[w];
            if (rint_(4) == 0) { rw = rint_(NR); iw = rint_((int)route[rw].size() + 1); }
            if (rw == ru) continue;
            int pre_u = 0, pre_w = 0;
            for (int k = 0; k <= iu; k++) pre_u += dem[route[ru][k]];
            for (int k = 0; k < iw; k++) pre_w += dem[route[rw][k]];
            int l1 = pre_u + load_[rw] - pre_w, l2 = pre_w + load_[ru] - pre_u;
            if (l1 > Q || l2 > Q) continue;
            int nu = node_at(ru, iu + 1), pw = node_at(rw, iw - 1), wn = node_at(rw, iw);
            delta = dist(u, wn) + dist(pw, nu) - dist(u, nu) - dist(pw, wn);
            if (!accept(delta)) continue;
            tmp.assign(route[ru].begin() + iu + 1, route[ru].end());
            route[ru].resize(iu + 1);
            route[ru].insert(route[ru].end(), route[rw].begin() + iw, route[rw].end());
            route[rw].resize(iw);
            route[rw].insert(route[rw].end(), tmp.begin(), tmp.end());
            load_[ru] = l1; load_[rw] = l2;
            reindex(ru); reindex(rw);
            cost += delta;
        }
        if (cost < best - 1e-7) {
            cost = total_cost();
            if (cost < best) { best = cost; best_route = route; }
        }
    }
    int cnt = 0;
    for (auto &r : best_route) if (!r.empty()) cnt++;
    string out = to_string(cnt) + "\n";
    for (auto &r : best_route) {
        if (r.empty()) continue;
        out += to_string(r.size());
        for (int c : r) out += " " + to_string(c);
        out += "\n";
    }
    fputs(out.c_str(), stdout);
    fprintf(stderr, "best %.1f\n", best);
}
