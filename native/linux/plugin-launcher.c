/*
 * edrkit-plugin-launcher: confines one plugin child process, then execs Node.
 *
 * The plugin host (packages/plugins/src/host/launcher.ts) spawns this program instead of
 * `node` so that every layer is in place before a single line of plugin code runs; Node
 * cannot do this to itself after start (no setuid/Landlock/seccomp API, and by then the
 * plugin's code could race it). Plain C, libc only, so it builds everywhere clang does.
 *
 * Usage: edrkit-plugin-launcher [options] -- /path/to/node [node args...]
 *   --status-fd N        write one status line (each layer's outcome) to fd N, then close it
 *   --parent PID         the host's pid: exit at once if it is already gone (pdeathsig race)
 *   --user NAME --group NAME   drop to this identity (when running as root)
 *   --no-net             enter an empty network namespace (not even loopback is up)
 *   --cgroup DIR         join DIR (writes our pid to DIR/cgroup.procs); repeatable
 *   --nofile N --nproc N --cpu SECONDS --data BYTES   rlimits (nproc/data 0 = leave)
 *   --ro PATH            Landlock: allow read (and execute) beneath PATH; repeatable
 *   --seccomp            refuse socket(AF_UNIX) (pathname and abstract Unix sockets)
 *
 * Every layer is best-effort and reported as `name=held` or `name=unavailable:reason`;
 * the host decides what to do with a layer that did not hold. Status line format:
 *   edrkit-sandbox\tsession=held\tidentity=held\t...\n
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/audit.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Landlock UAPI, declared here because build hosts' headers lag the running kernel. */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif
struct ll_ruleset_attr { uint64_t handled_access_fs, handled_access_net, scoped; };
struct ll_path_beneath { uint64_t allowed_access; int32_t parent_fd; } __attribute__((packed));
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_ABI1 ((1ULL << 13) - 1) /* EXECUTE .. MAKE_SYM */
#define LL_FS_REFER (1ULL << 13)      /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14)   /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15)  /* ABI 5 */
#define LL_NET_BIND_TCP (1ULL << 0)   /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)

#define MAX_LIST 32
static char status[4096] = "edrkit-sandbox";

static void report(const char *layer, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(const char *layer, const char *fmt, ...) {
  char value[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(value, sizeof value, fmt, ap);
  va_end(ap);
  /* One line, tab-separated: strip what would break the framing. */
  for (char *c = value; *c; c++) if (*c == '\t' || *c == '\n') *c = ' ';
  size_t len = strlen(status);
  snprintf(status + len, sizeof status - len, "\t%s=%s", layer, value);
}

static void die(const char *what) {
  fprintf(stderr, "edrkit-plugin-launcher: %s: %s\n", what, strerror(errno));
  exit(126);
}

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  int saved = errno;
  close(fd);
  errno = saved;
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void set_limit(const char *layer, int resource, rlim_t value) {
  struct rlimit rl = { value, value };
  if (setrlimit(resource, &rl) == 0) report(layer, "held");
  else report(layer, "unavailable:setrlimit: %s", strerror(errno));
}

/* seccomp: socket(AF_UNIX, ...) fails with EACCES. Unix sockets bypass the network
 * namespace (a pathname socket is reached through the file system, which Landlock does
 * not mediate for connect before ABI 9); the IPC channel to the host is inherited, so
 * the plugin never needs to create one. */
static int install_seccomp(void) {
  struct sock_filter filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
#if defined(__x86_64__)
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
#elif defined(__aarch64__)
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_AARCH64, 1, 0),
#else
#error "edrkit-plugin-launcher: add the AUDIT_ARCH of this architecture"
#endif
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 3),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA)),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = { .len = sizeof filter / sizeof filter[0], .filter = filter };
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

static void apply_landlock(char **ro, int nro, int no_net) {
  long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
  if (abi < 0) {
    report("landlock", "unavailable:%s", errno == EOPNOTSUPP ? "disabled at boot (add landlock to lsm=)" : errno == ENOSYS ? "kernel without Landlock (needs 5.13+)" : strerror(errno));
    return;
  }
  struct ll_ruleset_attr attr = { .handled_access_fs = LL_FS_ABI1 };
  size_t size = sizeof attr.handled_access_fs;
  if (abi >= 2) attr.handled_access_fs |= LL_FS_REFER;
  if (abi >= 3) attr.handled_access_fs |= LL_FS_TRUNCATE;
  if (abi >= 5) attr.handled_access_fs |= LL_FS_IOCTL_DEV;
  /* ABI 4: no TCP bind or connect at all (on top of the empty network namespace), unless the
   * operator allowed this plugin's `network` capability: then TCP is left to the host's rules. */
  if (abi >= 4 && no_net) { attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP; size = 2 * sizeof(uint64_t); }
  /* ABI 6: no signals to, and no abstract Unix sockets of, processes outside this domain. */
  if (abi >= 6) { attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL; size = sizeof attr; }
  int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
  if (rs < 0) { report("landlock", "unavailable:landlock_create_ruleset: %s", strerror(errno)); return; }
  for (int i = 0; i < nro; i++) {
    int fd = open(ro[i], O_PATH | O_CLOEXEC);
    if (fd < 0) continue; /* a library directory this distribution does not have */
    struct ll_path_beneath rule = { .allowed_access = LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR, .parent_fd = fd };
    /* A regular file only takes file rights. */
    if (syscall(SYS_landlock_add_rule, rs, LL_RULE_PATH_BENEATH, &rule, 0) < 0) {
      rule.allowed_access = LL_FS_EXECUTE | LL_FS_READ_FILE;
      if (syscall(SYS_landlock_add_rule, rs, LL_RULE_PATH_BENEATH, &rule, 0) < 0) {
        report("landlock", "unavailable:landlock_add_rule(%s): %s", ro[i], strerror(errno));
        close(fd);
        close(rs);
        return;
      }
    }
    close(fd);
  }
  if (syscall(SYS_landlock_restrict_self, rs, 0) < 0) { report("landlock", "unavailable:landlock_restrict_self: %s", strerror(errno)); close(rs); return; }
  close(rs);
  report("landlock", "held");
  if (abi >= 6) report("scope", "held");
  else report("scope", "unavailable:Landlock ABI %ld < 6 (needs Linux 6.12 for signal and abstract-socket scoping)", abi);
}

int main(int argc, char **argv) {
  int status_fd = -1, no_net = 0, seccomp = 0, nro = 0, ncg = 0;
  long parent = 0, nofile = 0, nproc = 0, cpu = 0, data = 0;
  const char *user = NULL, *group = NULL;
  char *ro[MAX_LIST], *cgroups[MAX_LIST];
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--") == 0) { i++; break; }
    if (strcmp(a, "--no-net") == 0) { no_net = 1; continue; }
    if (strcmp(a, "--seccomp") == 0) { seccomp = 1; continue; }
    if (!v) { fprintf(stderr, "edrkit-plugin-launcher: %s needs a value\n", a); return 125; }
    i++;
    if (strcmp(a, "--status-fd") == 0) status_fd = atoi(v);
    else if (strcmp(a, "--parent") == 0) parent = atol(v);
    else if (strcmp(a, "--user") == 0) user = v;
    else if (strcmp(a, "--group") == 0) group = v;
    else if (strcmp(a, "--nofile") == 0) nofile = atol(v);
    else if (strcmp(a, "--nproc") == 0) nproc = atol(v);
    else if (strcmp(a, "--cpu") == 0) cpu = atol(v);
    else if (strcmp(a, "--data") == 0) data = atol(v);
    else if (strcmp(a, "--ro") == 0 && nro < MAX_LIST) ro[nro++] = (char *)v;
    else if (strcmp(a, "--cgroup") == 0 && ncg < MAX_LIST) cgroups[ncg++] = (char *)v;
    else { fprintf(stderr, "edrkit-plugin-launcher: unknown option %s\n", a); return 125; }
  }
  if (i >= argc) { fprintf(stderr, "edrkit-plugin-launcher: no program after --\n"); return 125; }
  int root = geteuid() == 0;

  /* Own session and process group: the host kills the whole group, and the plugin has no
   * controlling terminal (no TIOCSTI, no terminal signals). */
  if (setsid() >= 0) report("session", "held"); else report("session", "unavailable:setsid: %s", strerror(errno));

  /* Network namespace (root: directly; otherwise inside a new user namespace). */
  if (no_net) {
    if (unshare(root ? CLONE_NEWNET : CLONE_NEWUSER | CLONE_NEWNET) == 0) report("network", "held");
    else report("network", "unavailable:unshare(CLONE_NEWNET): %s", strerror(errno));
  } else {
    report("network", "unavailable:network capability allowed for this plugin");
  }

  /* cgroups before the identity change: joining needs write access to cgroup.procs. */
  if (ncg > 0) {
    char pid[32], file[4096];
    snprintf(pid, sizeof pid, "%d", getpid());
    int ok = 1;
    for (int c = 0; c < ncg; c++) {
      snprintf(file, sizeof file, "%s/cgroup.procs", cgroups[c]);
      if (write_file(file, pid) < 0) { report("cgroup", "unavailable:join %s: %s", cgroups[c], strerror(errno)); ok = 0; break; }
    }
    if (ok) report("cgroup", "held");
  }

  struct rlimit zero = { 0, 0 };
  if (setrlimit(RLIMIT_CORE, &zero) == 0) report("nocore", "held"); else report("nocore", "unavailable:%s", strerror(errno));
  if (nofile > 0) set_limit("nofile", RLIMIT_NOFILE, (rlim_t)nofile);
  if (cpu > 0) set_limit("cpu", RLIMIT_CPU, (rlim_t)cpu);
  if (nproc > 0) set_limit("nproc", RLIMIT_NPROC, (rlim_t)nproc);
  if (data > 0) set_limit("data", RLIMIT_DATA, (rlim_t)data);

  /* Identity: no supplementary groups, then gid, then uid (the order that can still succeed). */
  if (user && root) {
    errno = 0;
    struct passwd *pw = getpwnam(user);
    struct group *gr = group ? getgrnam(group) : NULL;
    /* Fail closed: running a plugin as root because the configured user is missing would
     * silently drop the main layer. A missing group falls back to the user's primary group
     * (Fedora has no 'nogroup'; its nobody's group is 'nobody'). */
    if (!pw) { fprintf(stderr, "edrkit-plugin-launcher: no user '%s' on this host: create it or configure another (PluginHost user option)\n", user); return 125; }
    {
      gid_t gid = gr ? gr->gr_gid : pw->pw_gid;
      if (setgroups(0, NULL) < 0) die("setgroups");
      if (setresgid(gid, gid, gid) < 0) die("setresgid");
      if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0) die("setresuid");
      /* Paranoia: regaining root must fail. */
      if (setuid(0) == 0) { errno = EPERM; die("could regain uid 0"); }
      report("identity", "held");
    }
  } else if (user) {
    report("identity", "unavailable:the host is not root (the plugin runs as the host's user)");
  }

  /* Parent-death signal, after the identity change (a credential change clears it), then
   * the race check: if the host died before prctl, our parent is already init. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) die("prctl(PR_SET_PDEATHSIG)");
  if (parent > 0 && getppid() != (pid_t)parent) return 125;
  report("pdeathsig", "held");

  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0) report("nonewprivs", "held");
  else report("nonewprivs", "unavailable:prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));

  if (seccomp) {
    if (install_seccomp() == 0) report("seccomp", "held");
    else report("seccomp", "unavailable:%s", strerror(errno));
  }
  if (nro > 0) apply_landlock(ro, nro, no_net);

  if (status_fd >= 0) {
    size_t len = strlen(status);
    status[len] = '\n';
    if (write(status_fd, status, len + 1) < 0) die("write status");
    close(status_fd);
  }
  execv(argv[i], argv + i);
  die("execv");
}
