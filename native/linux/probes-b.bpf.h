/*
 * probes-b.bpf.h: part B of issue 14, #included at the end of edrkit.bpf.c (it uses that
 * file's maps and helpers). Programs are named edrkit_cw_* and load only when a kind derived
 * from watched files (account.*, task.*, service.*) is asked for.
 *
 * Close-after-write. The kernel has no tracepoint at the last fput() and this kernel has no
 * kprobes or fentry, so "the writer is done" is observed at two places:
 *   - close(2) of a descriptor whose struct file has no other reference (a dup()ed or
 *     inherited copy keeps the file open: its later close is the one reported);
 *   - the exit of the process that opened it, while it still held it (implicit close).
 * Only files opened with write access whose parent directory's inode is in edrkit_cw_dirs
 * (filled by user space: /etc, the cron spools, the systemd unit directories, …) are
 * tracked, so the cost elsewhere is one hash lookup per open-for-write and one per close by a
 * process that holds a tracked file. With EDRKIT_K_CLOSE_WRITE_ALL (the sensor hashes files
 * written) every regular file opened for writing by a monitored process is tracked: one map
 * update per open-for-write, a lookup per close, and a file record with the full path at the
 * last close (EDRKIT_FILE_CLOSE_WRITE).
 *
 * Renames, unlinks and symlinks (useradd renames /etc/passwd+ into place, systemctl enable
 * makes a symlink) are sent as ordinary file records (op RENAME / UNLINK / SYMLINK) whatever
 * their directory: user space keeps those under a watched directory. They are rare enough
 * that the kernel does not need to filter them.
 */

#define FMODE_WRITE 0x2

/* Watched directory inode numbers (user space fills; at most EDRKIT_CW_DIRS). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, EDRKIT_CW_DIRS);
	__type(key, __u64);
	__type(value, __u8);
} edrkit_cw_dirs SEC(".maps");

struct cw_file {
	__u32 tgid; /* the opener */
	__u8 watched; /* in a watched directory: send edrkit_cw_rec */
	__u8 all;     /* EDRKIT_K_CLOSE_WRITE_ALL: send a file record (EDRKIT_FILE_CLOSE_WRITE) */
	__u16 _pad;
	__u64 dir_ino;
	__u64 ino;
};

/* Tracked files, keyed by struct file pointer. LRU: a lost entry only loses one signal. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct cw_file);
} edrkit_cw_files SEC(".maps");

/* Openers holding tracked files (tgid -> count), so close and exit cost one lookup elsewhere. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u32);
} edrkit_cw_owners SEC(".maps");

/* struct file before 6.13 counted references in f_count (one reference = 1). */
struct file___cw_old {
	atomic_long_t f_count;
} __attribute__((preserve_access_index));

/* References to the file, the caller's included. */
static __always_inline long cw_file_refs(struct file *file)
{
	if (bpf_core_field_exists(file->f_ref))
		return BPF_CORE_READ(file, f_ref.refcnt.counter) + 1; /* file_ref_t: 0 means one reference */
	return BPF_CORE_READ((struct file___cw_old *)file, f_count.counter);
}

static __always_inline void cw_owner_add(__u32 tgid, int delta)
{
	__u32 *n = bpf_map_lookup_elem(&edrkit_cw_owners, &tgid);
	if (delta > 0) {
		__u32 one = 1;
		if (n)
			__sync_fetch_and_add(n, 1);
		else
			bpf_map_update_elem(&edrkit_cw_owners, &tgid, &one, BPF_NOEXIST);
	} else if (n) {
		if (*n <= 1)
			bpf_map_delete_elem(&edrkit_cw_owners, &tgid);
		else
			__sync_fetch_and_add(n, -1);
	}
}

/* The close-after-write file record (full path) of a file tracked for EDRKIT_K_CLOSE_WRITE_ALL. */
static __always_inline void cw_emit_file(struct file *file, __u32 reason)
{
	struct edrkit_file_rec *rec = scratch_file(EDRKIT_FILE_CLOSE_WRITE);
	if (!rec)
		return;
	rec->ret = reason;
	__u32 off = walk_file(&rec->path, file_tail(rec), 0, file);
	__u32 size = sizeof(*rec) + (off & TAIL_MASK);
	rec->h.size = size;
	emit(rec, size);
}

/* Send the close-after-write record(s) of a tracked file. */
static __always_inline void cw_emit(struct file *file, struct cw_file *v, __u32 reason)
{
	if (v->all)
		cw_emit_file(file, reason);
	if (!v->watched)
		return;
	struct edrkit_cw_rec *rec = scratch();
	if (!rec)
		return;
	fill_hdr(&rec->h, EDRKIT_REC_CLOSE_WRITE, 0);
	rec->dir_ino = v->dir_ino;
	rec->ino = v->ino;
	rec->reason = reason;
	rec->_pad = 0;
	const unsigned char *name = BPF_CORE_READ(file, f_path.dentry, d_name.name);
	long n = bpf_probe_read_kernel_str((__u8 *)(rec + 1), EDRKIT_RAW_PATH, name);
	__u32 len = n > 0 ? (__u32)(n - 1) : 0;
	len &= EDRKIT_RAW_PATH - 1;
	rec->name_len = len;
	__u32 size = sizeof(*rec) + len;
	rec->h.size = size;
	emit(rec, size);
}

/*
 * At open exit: track the new descriptor's file when it is writable and in a watched
 * directory, or (EDRKIT_K_CLOSE_WRITE_ALL) when it is a writable regular file anywhere.
 */
static __always_inline int cw_open_exit(long ret)
{
	if (ret < 0 || !wanted(EDRKIT_K_CLOSE_WRITE | EDRKIT_K_CLOSE_WRITE_ALL))
		return 0;
	struct file *file = fd_file(ret);
	if (!file)
		return 0;
	if (!(BPF_CORE_READ(file, f_mode) & FMODE_WRITE))
		return 0;
	__u64 dir_ino = BPF_CORE_READ(file, f_path.dentry, d_parent, d_inode, i_ino);
	__u8 watched = (edrkit_cfg.kinds & EDRKIT_K_CLOSE_WRITE) && bpf_map_lookup_elem(&edrkit_cw_dirs, &dir_ino);
	__u8 all = (edrkit_cfg.kinds & EDRKIT_K_CLOSE_WRITE_ALL) && (BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) == S_IFREG;
	if (!watched && !all)
		return 0;
	__u64 key = (__u64)file;
	struct cw_file v = {
		.tgid = bpf_get_current_pid_tgid() >> 32,
		.watched = watched,
		.all = all,
		.dir_ino = dir_ino,
		.ino = BPF_CORE_READ(file, f_inode, i_ino),
	};
	if (bpf_map_update_elem(&edrkit_cw_files, &key, &v, BPF_NOEXIST) == 0)
		cw_owner_add(v.tgid, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int edrkit_cw_openat_x(struct trace_event_raw_sys_exit *ctx) { return cw_open_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_exit_open")
int edrkit_cw_open_x(struct trace_event_raw_sys_exit *ctx) { return cw_open_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_exit_creat")
int edrkit_cw_creat_x(struct trace_event_raw_sys_exit *ctx) { return cw_open_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_exit_openat2")
int edrkit_cw_openat2_x(struct trace_event_raw_sys_exit *ctx) { return cw_open_exit(ctx->ret); }

/* close(2) of fd: report when it held the last reference to a tracked file. */
static __always_inline int cw_last_close(int fd)
{
	if (!(edrkit_cfg.kinds & (EDRKIT_K_CLOSE_WRITE | EDRKIT_K_CLOSE_WRITE_ALL)))
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (!bpf_map_lookup_elem(&edrkit_cw_owners, &tgid))
		return 0;
	struct file *file = fd_file(fd);
	if (!file)
		return 0;
	__u64 key = (__u64)file;
	struct cw_file *v = bpf_map_lookup_elem(&edrkit_cw_files, &key);
	if (!v || cw_file_refs(file) > 1)
		return 0;
	cw_emit(file, v, EDRKIT_CW_CLOSE);
	cw_owner_add(v->tgid, -1);
	bpf_map_delete_elem(&edrkit_cw_files, &key);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_close")
int edrkit_cw_close(struct trace_event_raw_sys_enter *ctx) { return cw_last_close((int)ctx->args[0]); }

struct cw_exit_ctx {
	__u32 tgid;
};

static long cw_exit_one(struct bpf_map *map, __u64 *key, struct cw_file *v, struct cw_exit_ctx *c)
{
	if (v->tgid != c->tgid)
		return 0;
	cw_emit((struct file *)*key, v, EDRKIT_CW_EXIT);
	bpf_map_delete_elem(map, key);
	return 0;
}

/* The opener exits (files are closed after this tracepoint): report what it still held. */
SEC("raw_tracepoint/sched_process_exit")
int edrkit_cw_exit(struct bpf_raw_tracepoint_args *ctx)
{
	if (!(edrkit_cfg.kinds & (EDRKIT_K_CLOSE_WRITE | EDRKIT_K_CLOSE_WRITE_ALL)))
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if ((__u32)pid_tgid != (pid_tgid >> 32))
		return 0;
	struct cw_exit_ctx c = { .tgid = pid_tgid >> 32 };
	if (!bpf_map_lookup_elem(&edrkit_cw_owners, &c.tgid))
		return 0;
	bpf_for_each_map_elem(&edrkit_cw_files, cw_exit_one, &c, 0);
	bpf_map_delete_elem(&edrkit_cw_owners, &c.tgid);
	return 0;
}

/* Renames, unlinks and symlinks as file records, for the watched directories (see above). */
static __always_inline int cw_rename(int olddfd, const char *oldp, int newdfd, const char *newp)
{
	if (!wanted(EDRKIT_K_CLOSE_WRITE | EDRKIT_K_FILE_RENAME))
		return 0;
	struct edrkit_file_rec *rec = scratch_file(EDRKIT_FILE_RENAME);
	if (!rec)
		return 0;
	__u32 off = user_path(&rec->path, file_tail(rec), 0, olddfd, oldp);
	stash(rec, user_path(&rec->path2, file_tail(rec), off, newdfd, newp));
	return 0;
}

#define CW_ENTER(name) SEC("tracepoint/syscalls/sys_enter_" #name) int edrkit_cw_##name(struct trace_event_raw_sys_enter *ctx)
#define CW_EXIT(name) SEC("tracepoint/syscalls/sys_exit_" #name) int edrkit_cw_##name##_x(struct trace_event_raw_sys_exit *ctx) { return flush(ctx->ret); }

CW_ENTER(rename) { return cw_rename(AT_FDCWD, (const char *)ARG(0), AT_FDCWD, (const char *)ARG(1)); }
CW_EXIT(rename)
CW_ENTER(renameat) { return cw_rename(ARG(0), (const char *)ARG(1), ARG(2), (const char *)ARG(3)); }
CW_EXIT(renameat)
CW_ENTER(renameat2) { return cw_rename(ARG(0), (const char *)ARG(1), ARG(2), (const char *)ARG(3)); }
CW_EXIT(renameat2)
/* The same op choice as edrkit_file_unlinkat: both may stash the same record for one call. */
CW_ENTER(unlink) { return path_op(EDRKIT_K_CLOSE_WRITE | EDRKIT_K_FILE_DELETE, EDRKIT_FILE_UNLINK, AT_FDCWD, (const char *)ARG(0)); }
CW_EXIT(unlink)
CW_ENTER(unlinkat) { return path_op(EDRKIT_K_CLOSE_WRITE | EDRKIT_K_FILE_DELETE, (ARG(2) & 0x200) ? EDRKIT_FILE_RMDIR : EDRKIT_FILE_UNLINK, ARG(0), (const char *)ARG(1)); }
CW_EXIT(unlinkat)
CW_ENTER(symlink) { return path_op(EDRKIT_K_CLOSE_WRITE, EDRKIT_FILE_SYMLINK, AT_FDCWD, (const char *)ARG(1)); }
CW_EXIT(symlink)
CW_ENTER(symlinkat) { return path_op(EDRKIT_K_CLOSE_WRITE, EDRKIT_FILE_SYMLINK, ARG(1), (const char *)ARG(2)); }
CW_EXIT(symlinkat)

/* dup2/dup3 onto a descriptor closes what it held, without close(2) (shells restore stdout this way). */
SEC("tracepoint/syscalls/sys_enter_dup2")
int edrkit_cw_dup2(struct trace_event_raw_sys_enter *ctx) { return ctx->args[0] == ctx->args[1] ? 0 : cw_last_close((int)ctx->args[1]); }
SEC("tracepoint/syscalls/sys_enter_dup3")
int edrkit_cw_dup3(struct trace_event_raw_sys_enter *ctx) { return cw_last_close((int)ctx->args[1]); }

/*
 * Interactive bash: the line readline() returns (a uretprobe on the readline symbol bash
 * exports). The section names Debian's path; the backend finds bash at start (/usr/bin/bash
 * or /bin/bash) and the addon attaches there (uprobeTargets). A bash without the symbol fails
 * to attach this one program, which the backend reports, and script.content keeps its other
 * sources.
 */
SEC("uretprobe//usr/bin/bash:readline")
int BPF_KRETPROBE(edrkit_rl_readline, const char *line) /* BPF_KRETPROBE reads the return register, for uretprobes too */
{
	if (!line || !wanted(EDRKIT_K_SHELL_LINE))
		return 0;
	struct edrkit_line_rec *rec = scratch();
	if (!rec)
		return 0;
	fill_hdr(&rec->h, EDRKIT_REC_SHELL_LINE, 0);
	long n = bpf_probe_read_user_str((__u8 *)(rec + 1), EDRKIT_LINE_MAX, line);
	if (n <= 1)
		return 0; /* an empty line or unreadable memory */
	__u32 len = (__u32)(n - 1) & (EDRKIT_LINE_MAX - 1);
	if (len == EDRKIT_LINE_MAX - 1)
		rec->h.flags = EDRKIT_LINE_TRUNC;
	rec->len = len;
	rec->_pad = 0;
	__u32 size = sizeof(*rec) + len;
	rec->h.size = size;
	emit(rec, size);
	return 0;
}

/*
 * Logons through libpam. pam_get_item() cannot be called from BPF, so the strings are read
 * from the pam handle itself: struct pam_handle (Linux-PAM libpam/pam_private.h) has begun
 * with the same fields since 2008 (authtok, caller_is, pam_conversation, oldauthtok, prompt,
 * service_name, user, rhost, ruser, tty), so on 64-bit their offsets are fixed. The entry
 * uprobe keeps the handle per thread; the return probe reads it with the call's result.
 */
/* Debian x86-64's path, for the section names; the addon attaches to the libpam the backend found. */
#define PAM_LIB "/lib/x86_64-linux-gnu/libpam.so.0"
#define PAMH_SERVICE 40
#define PAMH_USER 48
#define PAMH_RHOST 56
#define PAMH_TTY 72

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, __u64);
} edrkit_pam_args SEC(".maps");

static __always_inline int pam_enter(const void *pamh)
{
	if (!pamh || !wanted(EDRKIT_K_PAM))
		return 0;
	__u64 id = bpf_get_current_pid_tgid(), h = (__u64)pamh;
	bpf_map_update_elem(&edrkit_pam_args, &id, &h, BPF_ANY);
	return 0;
}

static __always_inline void pam_str(char *dst, __u32 size, __u64 pamh, __u32 off)
{
	const char *p = NULL;
	dst[0] = 0;
	if (bpf_probe_read_user(&p, sizeof(p), (const void *)(pamh + off)) == 0 && p)
		bpf_probe_read_user_str(dst, size, p);
}

static __always_inline int pam_exit(__u32 op, long ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 *h = bpf_map_lookup_elem(&edrkit_pam_args, &id);
	if (!h)
		return 0;
	__u64 pamh = *h;
	bpf_map_delete_elem(&edrkit_pam_args, &id);
	struct edrkit_pam_rec *rec = reserve(sizeof(*rec));
	if (!rec)
		return 0;
	fill_hdr(&rec->h, EDRKIT_REC_PAM, sizeof(*rec));
	rec->op = op;
	rec->ret = (__s32)ret;
	pam_str(rec->service, sizeof(rec->service), pamh, PAMH_SERVICE);
	pam_str(rec->user, sizeof(rec->user), pamh, PAMH_USER);
	pam_str(rec->tty, sizeof(rec->tty), pamh, PAMH_TTY);
	pam_str(rec->rhost, sizeof(rec->rhost), pamh, PAMH_RHOST);
	bpf_ringbuf_submit(rec, 0);
	return 0;
}

SEC("uprobe/" PAM_LIB ":pam_authenticate")
int BPF_KPROBE(edrkit_pam_auth, const void *pamh) { return pam_enter(pamh); }
SEC("uretprobe/" PAM_LIB ":pam_authenticate")
int BPF_KRETPROBE(edrkit_pam_auth_x, long ret) { return pam_exit(EDRKIT_PAM_AUTHENTICATE, ret); }
SEC("uprobe/" PAM_LIB ":pam_open_session")
int BPF_KPROBE(edrkit_pam_open, const void *pamh) { return pam_enter(pamh); }
SEC("uretprobe/" PAM_LIB ":pam_open_session")
int BPF_KRETPROBE(edrkit_pam_open_x, long ret) { return pam_exit(EDRKIT_PAM_OPEN_SESSION, ret); }
SEC("uprobe/" PAM_LIB ":pam_close_session")
int BPF_KPROBE(edrkit_pam_close, const void *pamh) { return pam_enter(pamh); }
SEC("uretprobe/" PAM_LIB ":pam_close_session")
int BPF_KRETPROBE(edrkit_pam_close_x, long ret) { return pam_exit(EDRKIT_PAM_CLOSE_SESSION, ret); }
