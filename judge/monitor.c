/* The in-sandbox monitor, in C: the same job and result protocol as monitor.py, without paying
 * for a Python interpreter's start-up on every case (it dominates for fast solutions).
 *
 * usage: monitor [--no-sweep] RESULT_FD CPU_S WALL_MS MEM_BYTES OUT_BYTES MAX_PROCS AS_BYTES CWD -- CMD ARGS...
 * The solution gets this process's stdin/stdout/stderr and environment. One JSON object is written
 * to RESULT_FD: {"wall": s, "cpu": s, "peak_bytes": n, "exit": n|null, "signal": n|null, "killed": s|null}
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXP 4096

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* pids of root and its descendants, via /proc/<pid>/task/<tid>/children */
static int tree(pid_t root, pid_t *out) {
    int n = 0, i = 0;
    out[n++] = root;
    while (i < n && n < MAXP) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/task", out[i]);
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) && n < MAXP) {
                if (e->d_name[0] == '.') continue;
                char cpath[128];
                snprintf(cpath, sizeof cpath, "/proc/%d/task/%s/children", out[i], e->d_name);
                FILE *f = fopen(cpath, "r");
                if (!f) continue;
                int c;
                while (n < MAXP && fscanf(f, "%d", &c) == 1) out[n++] = c;
                fclose(f);
            }
            closedir(d);
        }
        i++;
    }
    return n;
}

/* resident bytes: RSS for one process, PSS (shared pages split) when it forked */
static long long resident(pid_t *pids, int n) {
    long long total = 0;
    char path[64], line[256];
    if (n == 1) {
        snprintf(path, sizeof path, "/proc/%d/statm", pids[0]);
        FILE *f = fopen(path, "r");
        long long size = 0, rss = 0;
        if (f) {
            if (fscanf(f, "%lld %lld", &size, &rss) != 2) rss = 0;
            fclose(f);
        }
        return rss * sysconf(_SC_PAGESIZE);
    }
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pids[i]);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        while (fgets(line, sizeof line, f)) {
            long long kb;
            if (sscanf(line, "Pss: %lld", &kb) == 1) {
                total += kb * 1024;
                break;
            }
        }
        fclose(f);
    }
    return total;
}

static int may_sweep = 1; /* off under the box server (boxd.py), which sweeps the box itself */

static void kill_everything(pid_t child) {
    static pid_t pids[MAXP];
    int n = tree(child, pids);
    for (int i = 0; i < n; i++) kill(pids[i], SIGKILL);
    kill(-child, SIGKILL);
    if (may_sweep && getpid() <= 3) { /* (near) PID 1 of our own namespace: sweep every other process */
        DIR *d = opendir("/proc");
        struct dirent *e;
        while (d && (e = readdir(d))) {
            int p = atoi(e->d_name);
            if (p > 1 && p != getpid()) kill(p, SIGKILL);
        }
        if (d) closedir(d);
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--no-sweep") == 0) {
        may_sweep = 0;
        argv++;
        argc--;
    }
    if (argc < 11 || strcmp(argv[9], "--") != 0) {
        fprintf(stderr, "monitor: bad arguments\n");
        return 125;
    }
    int result_fd = atoi(argv[1]);
    long cpu = atol(argv[2]);
    double wall_limit = atol(argv[3]) / 1000.0;
    long long mem_limit = atoll(argv[4]), out_bytes = atoll(argv[5]), as_bytes = atoll(argv[7]);
    int max_procs = atoi(argv[6]);
    const char *cwd = argv[8];
    char **cmd = argv + 10;

    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) return 125;
    if (pid == 0) {
        struct rlimit r;
        setsid();
        r.rlim_cur = cpu; r.rlim_max = cpu + 1; setrlimit(RLIMIT_CPU, &r);
        r.rlim_cur = r.rlim_max = out_bytes; setrlimit(RLIMIT_FSIZE, &r);
        r.rlim_cur = r.rlim_max = 0; setrlimit(RLIMIT_CORE, &r);
        if (as_bytes > 0) { r.rlim_cur = r.rlim_max = as_bytes; setrlimit(RLIMIT_AS, &r); }
        r.rlim_cur = r.rlim_max = RLIM_INFINITY; setrlimit(RLIMIT_STACK, &r);
        if (getuid() != 0) { r.rlim_cur = r.rlim_max = max_procs; setrlimit(RLIMIT_NPROC, &r); }
#ifdef SYS_close_range
        if (syscall(SYS_close_range, 3, ~0U, 0) != 0) /* one syscall, not a thousand (~0.25 ms a case) */
#endif
            for (int fd = 3; fd < 1024; fd++) close(fd);
        if (cwd[0] && chdir(cwd) != 0) { /* the solution then runs where it is; not fatal */ }
        execvp(cmd[0], cmd);
        dprintf(2, "judge: cannot start %s: %s\n", cmd[0], strerror(errno));
        _exit(127);
    }
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    static pid_t pids[MAXP];
    const char *killed = NULL;
    long long peak = 0;
    int status = 0, delay_ms = 1;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    for (;;) {
        pid_t done = wait4(pid, &status, WNOHANG, &ru);
        if (done == pid) break;
        double elapsed = now() - t0;
        int n = tree(pid, pids);
        long long rss = resident(pids, n);
        if (rss > peak) peak = rss;
        if (peak > mem_limit) killed = "memory";
        else if (elapsed > wall_limit) killed = "time";
        else if (n > max_procs) killed = "processes";
        if (killed) {
            kill_everything(pid);
            wait4(pid, &status, 0, &ru);
            break;
        }
        if (pidfd >= 0) {
            struct pollfd p = {pidfd, POLLIN, 0};
            poll(&p, 1, delay_ms); /* wakes as soon as the solution exits */
        } else {
            struct timespec ts = {0, delay_ms * 1000000L};
            nanosleep(&ts, NULL);
        }
        if (delay_ms < 10) delay_ms = delay_ms * 3 / 2 + 1;
    }
    double wall = now() - t0;
    kill_everything(pid);
    double cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    long long maxrss = (long long)ru.ru_maxrss * 1024;
    if (maxrss > peak) peak = maxrss;
    char ex[16] = "null", sg[16] = "null", kl[32] = "null";
    if (WIFEXITED(status)) snprintf(ex, sizeof ex, "%d", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) snprintf(sg, sizeof sg, "%d", WTERMSIG(status));
    if (killed) snprintf(kl, sizeof kl, "\"%s\"", killed);
    dprintf(result_fd, "{\"wall\": %.6f, \"cpu\": %.6f, \"peak_bytes\": %lld, \"exit\": %s, \"signal\": %s, \"killed\": %s}",
            wall, cpu_s, peak, ex, sg, kl);
    close(result_fd);
    return 0;
}
