/*
 * wisp-sandbox: the native twin of sandbox.sh, same arguments, same filesystem view, done with
 * system calls instead of a dozen short-lived processes (unshare, mount, setpriv), so that the
 * sandbox costs about a millisecond of a cold start instead of fifteen.
 *
 * usage: wisp-sandbox CGROUP_PROCS_FILE|- DATA_DIR CODE_DIR|- RUNTIME_DIR SCRATCH_DIR UID|- NET COMMAND [ARG...]
 *
 * NET is "net" (the instance shares the host's network, as Lambda functions reach theirs) or
 * "nonet:PORT": a network namespace of its own with only loopback, where pid 1 relays
 * 127.0.0.1:PORT to the same port on the host, so the instance reaches its Runtime API and nothing
 * else. pid 1 makes each relay connection's host-side socket by stepping into the host's network
 * namespace for the socket() call only.
 *
 * The process joins the memory cgroup, dies with its parent (the server), and forks pid 1 of a new
 * pid namespace in a new mount namespace. pid 1 builds the view (code read-only at /mnt/task, the
 * runtime files read-only at /mnt/runtime, a private /tmp, the data directory hidden), starts the
 * runtime as an unprivileged child, reaps orphans, and exits with the runtime's status; the kernel
 * then kills everything left in the namespace. CODE_DIR "-" starts a stem cell (see sandbox.sh).
 * A stem cell whose COMMAND is "-" is a prewarmed sandbox for a custom runtime: nothing runs until
 * specialisation, when the ctl fifo brings, after the code's key, the runtime's environment as
 * NUL-terminated KEY=VALUE entries closed by an empty one, and pid 1 starts /mnt/task/bootstrap.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what) {
    fprintf(stderr, "wisp-sandbox: %s: %s\n", what, strerror(errno));
    _exit(121);
}

static void must(int rc, const char *what) {
    if (rc != 0) die(what);
}

static void bind_mount(const char *from, const char *to, int readonly) {
    must(mount(from, to, NULL, MS_BIND | MS_REC, NULL), to);
    if (readonly) must(mount(NULL, to, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL), to);
}

static void join_cgroup(const char *procs) {
    if (strcmp(procs, "-") == 0) return;
    int fd = open(procs, O_WRONLY);
    if (fd < 0) die(procs);
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%d\n", getpid());
    if (write(fd, pid, n) != n) die(procs);
    close(fd);
}

#define MAX_ENV_BYTES (256 * 1024)
#define MAX_ENV_ENTRIES 4096

/* Reads NUL-terminated KEY=VALUE entries until an empty one; returns a NULL-terminated array. */
static char **read_env(int ctl) {
    static char buf[MAX_ENV_BYTES];
    static char *env[MAX_ENV_ENTRIES + 1];
    size_t n = 0, count = 0, start = 0;
    while (n < sizeof buf) {
        ssize_t r = read(ctl, buf + n, 1);
        if (r <= 0) return NULL;
        if (buf[n] == 0) {
            if (n == start) break;
            if (count == MAX_ENV_ENTRIES) return NULL;
            env[count++] = buf + start;
            start = n + 1;
        }
        n++;
    }
    env[count] = NULL;
    return env;
}

static void start_runtime(char **cmd, char **envp, const char *uid);

/* pid 1 of a stem cell: wait for the code's key, mount it, drop the store, acknowledge. */
static pid_t specialise(int ctl, int ack, pid_t child, const char *uid) {
    char key[256];
    ssize_t n = 0;
    while (n < (ssize_t) sizeof key - 1) {
        ssize_t r = read(ctl, key + n, 1);
        if (r <= 0) break;
        if (key[n] == '\n') break;
        n++;
    }
    key[n] = 0;
    char path[PATH_MAX];
    int ok = n > 0 && strchr(key, '/') == NULL && strcmp(key, "..") != 0 && strcmp(key, ".") != 0
             && snprintf(path, sizeof path, "/mnt/.wisp/store/%s", key) < (int) sizeof path
             && mount(path, "/mnt/task", NULL, MS_BIND | MS_REC, NULL) == 0
             && mount(NULL, "/mnt/task", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) == 0;
    if (ok) umount2("/mnt/.wisp/store", MNT_DETACH);
    if (ok && child == 0) {
        /* a prewarmed custom-runtime sandbox: the runtime starts now, with the function's environment */
        char **envp = read_env(ctl);
        char *cmd[] = {"/mnt/task/bootstrap", NULL};
        ok = envp != NULL;
        if (ok) {
            child = fork();
            if (child == 0) start_runtime(cmd, envp, uid);
            ok = child > 0;
        }
    }
    if (write(ack, ok ? "ok\n" : "no\n", 3) != 3 || !ok) {
        if (child > 0) kill(child, SIGKILL);
        _exit(125);
    }
    close(ctl);
    close(ack);
    return child;
}

static void start_runtime(char **cmd, char **envp, const char *uid) {
    if (strcmp(uid, "-") != 0) {
        uid_t id = (uid_t) atoi(uid);
        must(setgroups(0, NULL), "setgroups");
        must(setgid(id), "setgid");
        must(setuid(id), "setuid");
    }
    must(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs");
    if (envp) execve(cmd[0], cmd, envp);
    else execvp(cmd[0], cmd);
    die(cmd[0]);
}

static int host_netns = -1;

static void loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0) die("lo");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) die("lo up");
    close(s);
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short) port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* A socket of the host's network namespace connected to the host's 127.0.0.1:port, or -1. */
static int host_connect(int own_netns, int port) {
    if (setns(host_netns, CLONE_NEWNET) != 0) return -1;
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (setns(own_netns, CLONE_NEWNET) != 0) die("setns back");
    struct sockaddr_in a = loopback(port);
    if (s >= 0 && connect(s, (struct sockaddr *) &a, sizeof a) != 0) {
        close(s);
        return -1;
    }
    return s;
}

static int sigchld_pipe[2];

static void on_sigchld(int sig) {
    (void) sig;
    int saved = errno;
    if (write(sigchld_pipe[1], "c", 1) < 0) { /* the loop polls again anyway */ }
    errno = saved;
}

#define MAX_RELAYS 64

/*
 * pid 1 of a network-isolated instance: relays Runtime API connections, finishes a stem cell's
 * specialisation when its ctl fifo speaks, and returns the runtime's exit status.
 */
static int relay(int listener, int own_netns, int port, int ctl, int ack, pid_t child, const char *uid) {
    int a[MAX_RELAYS], b[MAX_RELAYS], n = 0;
    char buf[65536];
    for (;;) {
        struct pollfd p[3 + 2 * MAX_RELAYS];
        int np = 0;
        p[np++] = (struct pollfd) {sigchld_pipe[0], POLLIN, 0};
        p[np++] = (struct pollfd) {n < MAX_RELAYS ? listener : -1, POLLIN, 0};
        p[np++] = (struct pollfd) {ctl, POLLIN, 0};
        for (int i = 0; i < n; i++) {
            p[np++] = (struct pollfd) {a[i], POLLIN, 0};
            p[np++] = (struct pollfd) {b[i], POLLIN, 0};
        }
        if (poll(p, np, -1) < 0) {
            if (errno == EINTR) continue;
            die("poll");
        }
        if (p[0].revents) {
            while (read(sigchld_pipe[0], buf, sizeof buf) > 0) {}
            int status;
            pid_t w;
            while ((w = waitpid(-1, &status, WNOHANG)) > 0) {
                if (w == child) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
        }
        if (ctl >= 0 && p[2].revents) {
            child = specialise(ctl, ack, child, uid);
            ctl = -1;
        }
        if (p[1].revents) {
            int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0) {
                int s = host_connect(own_netns, port);
                if (s < 0) close(c);
                else { a[n] = c; b[n] = s; n++; }
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            short ra = p[3 + 2 * i].revents, rb = p[4 + 2 * i].revents;
            int closed = 0;
            if (ra) {
                ssize_t r = read(a[i], buf, sizeof buf);
                closed = r <= 0 || write(b[i], buf, (size_t) r) != r;
            }
            if (!closed && rb) {
                ssize_t r = read(b[i], buf, sizeof buf);
                closed = r <= 0 || write(a[i], buf, (size_t) r) != r;
            }
            if (closed) {
                close(a[i]);
                close(b[i]);
                n--;
                a[i] = a[n];
                b[i] = b[n];
            }
        }
    }
}

static int pid1(char **argv) {
    const char *data = argv[2], *code = argv[3], *runtime = argv[4], *scratch = argv[5], *uid = argv[6];
    const char *net = argv[7];
    char **cmd = argv + 8;
    int nonet = strncmp(net, "nonet:", 6) == 0;
    int port = nonet ? atoi(net + 6) : 0;
    int listener = -1, own_netns = -1;
    int stem = strcmp(code, "-") == 0;
    int ctl = -1, ack = -1;

    must(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "private /");
    must(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL), "/proc");
    must(mount("wisp-view", "/mnt", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755"), "/mnt");
    must(mkdir("/mnt/task", 0755), "/mnt/task");
    must(mkdir("/mnt/runtime", 0755), "/mnt/runtime");
    must(mkdir("/mnt/tmp", 0755), "/mnt/tmp");
    if (stem) {
        char store[PATH_MAX], fifo[PATH_MAX + 8], dir[PATH_MAX];
        must(mkdir("/mnt/.wisp", 0700), "/mnt/.wisp");
        must(mkdir("/mnt/.wisp/store", 0700), "/mnt/.wisp/store");
        snprintf(store, sizeof store, "%s/code", data);
        bind_mount(store, "/mnt/.wisp/store", 0);
        snprintf(dir, sizeof dir, "%s", scratch);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0;
        snprintf(fifo, sizeof fifo, "%s/ctl", dir);
        if ((ctl = open(fifo, O_RDWR | O_CLOEXEC)) < 0) die(fifo);
        snprintf(fifo, sizeof fifo, "%s/ack", dir);
        if ((ack = open(fifo, O_RDWR | O_CLOEXEC)) < 0) die(fifo);
    } else {
        bind_mount(code, "/mnt/task", 1);
    }
    bind_mount(runtime, "/mnt/runtime", 1);
    bind_mount(scratch, "/mnt/tmp", 0);
    must(mount("wisp-hidden", data, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755"), "hide data");
    bind_mount("/mnt/tmp", "/tmp", 0);
    must(chdir("/mnt/task"), "chdir /mnt/task");
    if (nonet) {
        loopback_up();
        own_netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_in addr = loopback(port);
        int one = 1;
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (own_netns < 0 || listener < 0 || bind(listener, (struct sockaddr *) &addr, sizeof addr) != 0
                || listen(listener, 64) != 0) die("runtime api relay");
        if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) != 0) die("pipe");
        signal(SIGCHLD, on_sigchld);
    }

    int deferred = stem && strcmp(cmd[0], "-") == 0;
    pid_t child = 0;
    if (!deferred) {
        child = fork();
        if (child < 0) die("fork");
        if (child == 0) start_runtime(cmd, NULL, uid);
    }
    if (nonet) return relay(listener, own_netns, port, stem ? ctl : -1, ack, child, uid);
    if (stem) child = specialise(ctl, ack, child, uid);
    for (;;) {
        int status;
        pid_t w = wait(&status);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return 122;
        if (w == child) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
}

int main(int argc, char **argv) {
    if (argc < 9) {
        fprintf(stderr, "usage: wisp-sandbox CGROUP_PROCS|- DATA CODE|- RUNTIME SCRATCH UID|- net|nonet:PORT COMMAND [ARG...]\n");
        return 2;
    }
    int nonet = strncmp(argv[7], "nonet:", 6) == 0;
    if (nonet && (host_netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) die("host netns");
    pid_t server = getppid();
    must(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), "pdeathsig");
    if (getppid() != server) return 1; /* the server died before we could ask */
    join_cgroup(argv[1]);
    must(unshare(CLONE_NEWPID | CLONE_NEWNS | (nonet ? CLONE_NEWNET : 0)), "unshare");
    pid_t init = fork();
    if (init < 0) die("fork");
    if (init == 0) {
        must(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), "pdeathsig");
        _exit(pid1(argv));
    }
    int status;
    while (waitpid(init, &status, 0) < 0) {
        if (errno != EINTR) return 123;
    }
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        kill(getpid(), WTERMSIG(status));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 124;
}
