// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * edrkit BPF programs (CO-RE). Tracepoints and raw tracepoints only: this is what every
 * kernel >= 5.8 with BTF offers, unlike fentry/kprobes/LSM. Records are defined in
 * edrkit.h; every program follows the same shape: filter early, build the record, send it
 * (count a drop when the ring is full). Small fixed-size records (fork, exit, net) are
 * reserved in the ring directly. Records with strings are built in a per-CPU scratch buffer
 * (or the pending map) with their strings packed in a tail right after the fixed struct, and
 * only the used bytes are copied to the ring with bpf_ringbuf_output().
 *
 * Programs are named edrkit_<group>_<what>; user space disables whole groups it does not
 * need (bpf_program__set_autoload) and finer kinds through cfg.kinds.
 */
#include "vmlinux.h"
#include "arch-regs.bpf.h" /* before bpf_tracing.h's PT_REGS_* are used: see the header */
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "edrkit.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AT_FDCWD -100
#define O_WRONLY 01
#define O_RDWR 02
#define O_CREAT 0100
#define O_TRUNC 01000
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define EINPROGRESS 115
#define PROT_EXEC 4
#define MAP_ANONYMOUS 0x20
#define O_ACCMODE 03
#define S_IFMT 00170000
#define S_IFBLK 0060000
#define S_IFREG 0100000

/*
 * Tail geometry. The verifier needs every write into a tail to be provably in bounds, so a
 * write goes to tail[off & TAIL_MASK] with at most TAIL_SLACK bytes (a path component or a
 * raw path string), and buffers are TAIL_MASK + 1 + TAIL_SLACK long. The logical offsets
 * never reach TAIL_MASK (the largest record, a rename, needs 2 x (255 + 511) bytes), so the
 * mask never wraps; it only proves the bound. argv (up to EDRKIT_ARGS_MAX in one write) and
 * the DNS payload are written into the larger scratch buffer only.
 */
#define TAIL_PATHS 2048
#define TAIL_MASK (TAIL_PATHS - 1)
#define TAIL_SLACK 256
#define SCRATCH_FIXED 128  /* >= sizeof every fixed record struct */
#define SCRATCH_TAIL 8192  /* >= TAIL_PATHS + EDRKIT_ARGS_MAX; a power of two (output size mask) */

/* Set by user space before load (open -> configure -> load). */
const volatile struct edrkit_config edrkit_cfg = {};
/*
 * filter.exe prefixes (EDRKIT_F_EXE_PREFIX), NUL-terminated, and their lengths (0 = unused
 * slot). In .rodata, frozen before load: the verifier sees the lengths as constants and the
 * strings as constant strings for bpf_strncmp().
 */
const volatile char edrkit_exe_pfx[EDRKIT_EXE_PREFIXES][EDRKIT_EXE_PREFIX_LEN] = {};
const volatile __u32 edrkit_exe_pfx_len[EDRKIT_EXE_PREFIXES] = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22); /* resized by user space (ringBufferBytes) */
} edrkit_events SEC(".maps");

/* Reservations that failed because the ring was full: one counter per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} edrkit_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} edrkit_pid_inc SEC(".maps"), edrkit_pid_exc SEC(".maps"), edrkit_uid_inc SEC(".maps"),
	edrkit_uid_exc SEC(".maps");

struct name_key {
	char name[EDRKIT_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct name_key);
	__type(value, __u8);
} edrkit_name_inc SEC(".maps");

/*
 * filter.exe verdict per tgid: 1 = the image matched a prefix (or could not be decided),
 * 0 = it did not. Set at exec, copied to the child at fork, deleted at exit. No entry (a
 * process older than the sensor, or evicted): the event passes to user space. LRU: an
 * eviction only costs a filtered event reaching user space.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, __u8);
} edrkit_exe_ok SEC(".maps");

/* Where the exe path is built root-first (right to left, ending at EXE_END) for the prefix test. */
#define EXE_END 512
#define EXE_MASK (EXE_END - 1)
struct exe_buf {
	__u8 b[EXE_END + EDRKIT_EXE_PREFIX_LEN * 2];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exe_buf);
} edrkit_exe_buf SEC(".maps");

/*
 * Path syscalls: the record is built at sys_enter and sent at sys_exit when ret says success.
 * LRU: an entry whose sys_exit never comes (thread killed mid-call) is evicted, not leaked.
 */
/* A file record waiting for its sys_exit: the record, then its tail. */
struct pending_file {
	struct edrkit_file_rec r;
	__u8 tail[TAIL_PATHS + TAIL_SLACK];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct pending_file);
} edrkit_pending SEC(".maps");

struct open_args {
	__u32 flags;
	__u32 mode;
};

/* openat/connect/accept/listen/bind: small per-thread arguments kept from enter to exit (LRU, as above). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct open_args);
} edrkit_args SEC(".maps");

/* Where records with a tail are built: any fixed struct (cast), then up to SCRATCH_TAIL tail bytes. */
struct scratch {
	__u8 b[SCRATCH_FIXED + SCRATCH_TAIL];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} edrkit_scratch SEC(".maps");

/*
 * image.load dedupe: one event per (address space, file). The mm pointer changes on exec,
 * so a library mapped again after an exec is reported again; start_ns guards against a
 * freed mm being reused by another process. LRU: bounded, forgetting only costs a repeat.
 */
struct image_key {
	__u64 mm;
	__u64 inode;
	__u64 start_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct image_key);
	__type(value, __u8);
} edrkit_images SEC(".maps");

static __always_inline void count_drop(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&edrkit_drops, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline void *reserve(__u32 size)
{
	void *rec = bpf_ringbuf_reserve(&edrkit_events, size, 0);
	if (!rec)
		count_drop();
	return rec;
}

/* Copy `size` bytes of a built record to the ring; a full ring is a counted drop, like reserve(). */
static __always_inline void emit(void *rec, __u32 size)
{
	if (bpf_ringbuf_output(&edrkit_events, rec, size, 0))
		count_drop();
}

static __always_inline void *scratch(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&edrkit_scratch, &zero);
}

/* Basename of the process image (mm->exe_file), for the name filter. */
static __always_inline int exe_name(struct task_struct *task, struct name_key *key)
{
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);
	if (!exe)
		return -1;
	const unsigned char *name = BPF_CORE_READ(exe, f_path.dentry, d_name.name);
	return bpf_probe_read_kernel_str(key->name, sizeof(key->name), name) > 0 ? 0 : -1;
}

/* In-kernel filter: kinds, own process, pids, uids, image name, exe-prefix verdict. User space re-checks all. */
static __always_inline bool wanted(__u32 kind)
{
	if (!(edrkit_cfg.kinds & kind))
		return false;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if (edrkit_cfg.self_tgid && tgid == edrkit_cfg.self_tgid)
		return false;
	__u32 flags = edrkit_cfg.filter_flags;
	if (!flags)
		return true;
	if ((flags & EDRKIT_F_PID_INCLUDE) && !bpf_map_lookup_elem(&edrkit_pid_inc, &tgid))
		return false;
	if ((flags & EDRKIT_F_PID_EXCLUDE) && bpf_map_lookup_elem(&edrkit_pid_exc, &tgid))
		return false;
	__u32 uid = (__u32)bpf_get_current_uid_gid();
	if ((flags & EDRKIT_F_UID_INCLUDE) && !bpf_map_lookup_elem(&edrkit_uid_inc, &uid))
		return false;
	if ((flags & EDRKIT_F_UID_EXCLUDE) && bpf_map_lookup_elem(&edrkit_uid_exc, &uid))
		return false;
	if (flags & EDRKIT_F_NAME_INCLUDE) {
		struct name_key key = {};
		/* No image (kernel thread, exiting task): let user space decide. */
		if (exe_name((struct task_struct *)bpf_get_current_task(), &key) == 0 &&
		    !bpf_map_lookup_elem(&edrkit_name_inc, &key))
			return false;
	}
	/* exec records always pass: the process cache needs every image (they are filtered in JS). */
	if ((flags & EDRKIT_F_EXE_PREFIX) && kind != EDRKIT_K_EXEC) {
		__u8 *ok = bpf_map_lookup_elem(&edrkit_exe_ok, &tgid);
		if (ok && !*ok)
			return false;
	}
	return true;
}

/* kernfs_node.parent was renamed __parent in 6.14. */
struct kernfs_node___pre614 {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___pre614 *)kn, parent);
}

/* The cgroup of subsystem `id` (a v1 hierarchy on a v1/hybrid host), or NULL. */
static __always_inline struct cgroup *subsys_cgroup(struct css_set *cs, int id)
{
	struct cgroup_subsys_state *css = NULL;
	if (id < 0 || id >= 16)
		return NULL;
	bpf_core_read(&css, sizeof(css), &cs->subsys[id]);
	return css ? BPF_CORE_READ(css, cgroup) : NULL;
}

/*
 * The task's cgroup: the default (v2) hierarchy's, or, where that is the root (a cgroup v1 or
 * hybrid host: container runtimes then place containers in the v1 hierarchies and the v2 id
 * is 1 for every process), the first non-root one of the pids, memory and cpu hierarchies.
 */
static __always_inline struct cgroup *task_cgroup(struct task_struct *task)
{
	struct css_set *cs = BPF_CORE_READ(task, cgroups);
	struct cgroup *cg = BPF_CORE_READ(cs, dfl_cgrp);
	if (!cs || BPF_CORE_READ(cg, level) > 0)
		return cg;
	struct cgroup *v1 = NULL;
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, pids_cgrp_id))
		v1 = subsys_cgroup(cs, bpf_core_enum_value(enum cgroup_subsys_id, pids_cgrp_id));
	if ((!v1 || BPF_CORE_READ(v1, level) == 0) && bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		v1 = subsys_cgroup(cs, bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id));
	if ((!v1 || BPF_CORE_READ(v1, level) == 0) && bpf_core_enum_value_exists(enum cgroup_subsys_id, cpu_cgrp_id))
		v1 = subsys_cgroup(cs, bpf_core_enum_value(enum cgroup_subsys_id, cpu_cgrp_id));
	return v1 && BPF_CORE_READ(v1, level) > 0 ? v1 : cg;
}

/* The v2 cgroup id, or on a v1/hybrid host where that is the root (1), the v1 cgroup's kernfs id. */
static __always_inline __u64 task_cgroup_id(struct task_struct *task)
{
	__u64 id = bpf_get_current_cgroup_id();
	if (id != 1)
		return id;
	struct cgroup *cg = task_cgroup(task);
	__u64 v1 = cg ? BPF_CORE_READ(cg, kn, id) : 0;
	return v1 ? v1 : id;
}

/*
 * Names of the task's cgroup and up to two ancestors, leaf first, each NUL-terminated, at
 * most EDRKIT_CGROUP_NAME - 1 bytes in all (a level that would not fit is left out). Container
 * runtimes name the container in the leaf (docker-<id>.scope, /docker/<id>) or its parent
 * (libpod-<id>.scope/container); systemd-nspawn in machine.slice/machine-<name>.scope.
 */
static __always_inline __u16 cgroup_names(struct task_struct *task, __u8 *tail, __u32 off)
{
	struct cgroup *cg = task_cgroup(task);
	struct kernfs_node *kn = cg ? BPF_CORE_READ(cg, kn) : NULL;
	__u32 len = 0;
#pragma unroll
	for (int i = 0; i < 3; i++) {
		if (!kn)
			break;
		struct kernfs_node *parent = kn_parent(kn);
		if (!parent)
			break; /* the root has no name of its own */
		long n = bpf_probe_read_kernel_str(&tail[(off + len) & TAIL_MASK], EDRKIT_CGROUP_NAME, BPF_CORE_READ(kn, name));
		if (n <= 1 || len + n > EDRKIT_CGROUP_NAME - 1)
			break;
		len += n;
		kn = parent;
	}
	return len;
}

static __always_inline void fill_hdr(struct edrkit_hdr *h, __u16 type, __u32 size)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 uid_gid = bpf_get_current_uid_gid();
	h->type = type;
	h->abi = EDRKIT_ABI_VERSION;
	h->size = size;
	h->ts_ns = bpf_ktime_get_boot_ns();
	h->start_ns = BPF_CORE_READ(task, group_leader, start_boottime);
	h->cgroup_id = task_cgroup_id(task);
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->ppid = BPF_CORE_READ(task, real_parent, tgid);
	h->uid = (__u32)uid_gid;
	h->gid = uid_gid >> 32;
	h->flags = 0;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

struct walk_ctx {
	__u8 *tail;
	struct dentry *dentry;
	struct mount *mnt;
	__u32 base; /* where this path's components begin, in the tail (constant during the walk) */
	__u32 rel;  /* bytes written so far: bounded by the walk itself, so the verifier converges */
	__u16 depth;
	__u16 done;
};

/* One step of the walk. A bpf_loop callback: verified once, not once per level. */
static long walk_step(__u32 i, struct walk_ctx *w)
{
	/* Locals: CO-RE reads must start from kernel types, not from this context struct. */
	struct dentry *dentry = w->dentry;
	struct mount *mnt = w->mnt;
	__u8 *tail = w->tail;
	__u32 rel = w->rel;
	struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
	struct dentry *mnt_root = BPF_CORE_READ(mnt, mnt.mnt_root);
	/*
	 * A dentry that is its own parent but not a mount root has no directory: a pseudo file
	 * (memfd, pipe, socket). Its name is the whole path, "/memfd:<name>", as /proc shows it.
	 */
	bool pseudo = dentry == parent && dentry != mnt_root && rel == 0;
	if (!pseudo && (dentry == mnt_root || dentry == parent)) {
		struct mount *mp = BPF_CORE_READ(mnt, mnt_parent);
		if (dentry != mnt_root || mp == mnt || !mp) {
			w->done = 1; /* the global root, or a detached tree */
			return 1;
		}
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mp;
		return 0;
	}
	if (rel >= EDRKIT_DENTRY_HALF)
		return 1;
	const unsigned char *name = BPF_CORE_READ(dentry, d_name.name);
	long n = bpf_probe_read_kernel_str(&tail[(w->base + rel) & TAIL_MASK], EDRKIT_DENTRY_HALF, name);
	if (n <= 0)
		return 1;
	w->rel = rel + n;
	w->depth++;
	w->dentry = parent;
	if (pseudo) {
		w->done = 1;
		return 1;
	}
	return 0;
}

/*
 * Walk dentry -> root across mounts, appending names leaf-first (each NUL-terminated) to the
 * tail at `off`; returns the new offset. Stops at the root of the mount tree; chroots are
 * not honoured (the path is the one seen from the mount tree root). Needs bpf_loop (5.17).
 */
static __always_inline __u32 walk_path(struct edrkit_path *p, __u8 *tail, __u32 off, struct dentry *dentry, struct vfsmount *vfsmnt)
{
	struct walk_ctx w = {
		.tail = tail,
		.dentry = dentry,
		.mnt = (struct mount *)((void *)vfsmnt - bpf_core_field_offset(struct mount, mnt)),
		.base = off,
	};
	/* Mount crossings take a step each, hence twice the depth. */
	bpf_loop(EDRKIT_MAX_DEPTH * 2, walk_step, &w, 0);
	p->flags |= EDRKIT_PATH_HAS_DENTRY;
	if (!w.done)
		p->flags |= EDRKIT_PATH_TRUNC;
	p->depth = w.depth;
	p->dentry_len = w.rel;
	return off + w.rel;
}

static __always_inline __u32 walk_file(struct edrkit_path *p, __u8 *tail, __u32 off, struct file *file)
{
	if (!file)
		return off;
	return walk_path(p, tail, off, BPF_CORE_READ(file, f_path.dentry), BPF_CORE_READ(file, f_path.mnt));
}

static __always_inline void path_init(struct edrkit_path *p)
{
	p->flags = 0;
	p->depth = 0;
	p->raw_len = 0;
	p->dentry_len = 0;
}

static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if (fd < 0 || !fdt || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

/* Append the user's path string (without its NUL); when relative, also walk its base (cwd or dirfd). */
static __always_inline __u32 user_path(struct edrkit_path *p, __u8 *tail, __u32 off, int dirfd, const char *upath)
{
	__u8 *raw = &tail[off & TAIL_MASK];
	long n = bpf_probe_read_user_str(raw, EDRKIT_RAW_PATH, upath);
	if (n <= 1)
		return off;
	p->flags |= EDRKIT_PATH_HAS_RAW;
	if (n >= EDRKIT_RAW_PATH)
		p->flags |= EDRKIT_PATH_RAW_TRUNC;
	p->raw_len = n - 1;
	bool absolute = raw[0] == '/';
	off += n - 1;
	if (absolute)
		return off;
	if (dirfd == AT_FDCWD) {
		struct task_struct *task = (struct task_struct *)bpf_get_current_task();
		struct fs_struct *fs = BPF_CORE_READ(task, fs);
		return walk_path(p, tail, off, BPF_CORE_READ(fs, pwd.dentry), BPF_CORE_READ(fs, pwd.mnt));
	}
	return walk_file(p, tail, off, fd_file(dirfd));
}

/*
 * filter.exe in the kernel. The exec record's walk writes components leaf-first; a prefix
 * test needs the path root-first, so the image is walked again writing right to left
 * (component lengths come from d_name.len), giving exactly the string user space builds
 * ("/" + components root-first). The walk uses the exec record's own limits (64 steps,
 * components starting below EDRKIT_DENTRY_HALF bytes): when the record's path would be
 * truncated, the verdict is "pass" and user space decides.
 */
struct rwalk_ctx {
	__u8 *buf;
	struct dentry *dentry;
	struct mount *mnt;
	__u32 pos;  /* the path so far is buf[pos, EXE_END) */
	__u32 used; /* bytes the leaf-first record walk would have written */
	__u16 done;
	__u16 bad;
};

static long rwalk_step(__u32 i, struct rwalk_ctx *w)
{
	struct dentry *dentry = w->dentry;
	struct mount *mnt = w->mnt;
	__u8 *buf = w->buf;
	struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
	struct dentry *mnt_root = BPF_CORE_READ(mnt, mnt.mnt_root);
	if (dentry == mnt_root || dentry == parent) {
		struct mount *mp = BPF_CORE_READ(mnt, mnt_parent);
		if (dentry != mnt_root || mp == mnt || !mp) {
			w->done = 1;
			return 1;
		}
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mp;
		return 0;
	}
	__u32 used = w->used, pos = w->pos;
	__u32 len = BPF_CORE_READ(dentry, d_name.len);
	if (used >= EDRKIT_DENTRY_HALF || len == 0 || len >= EDRKIT_DENTRY_HALF || pos < len + 1 || pos > EXE_END) {
		w->bad = 1;
		return 1;
	}
	pos -= len;
	const unsigned char *name = BPF_CORE_READ(dentry, d_name.name);
	if (bpf_probe_read_kernel(&buf[pos & EXE_MASK], len & (EDRKIT_DENTRY_HALF - 1), name) < 0) {
		w->bad = 1;
		return 1;
	}
	pos--;
	buf[pos & EXE_MASK] = '/';
	w->pos = pos;
	w->used = used + len + 1;
	w->dentry = parent;
	return 0;
}

/* 1 when the image path starts with one of the prefixes, or cannot be decided; 0 otherwise. */
static __always_inline __u8 exe_verdict(struct file *exe)
{
	__u32 zero = 0;
	struct exe_buf *eb = bpf_map_lookup_elem(&edrkit_exe_buf, &zero);
	if (!exe || !eb)
		return 1;
	struct vfsmount *vfsmnt = BPF_CORE_READ(exe, f_path.mnt);
	struct rwalk_ctx w = {
		.buf = eb->b,
		.dentry = BPF_CORE_READ(exe, f_path.dentry),
		.mnt = (struct mount *)((void *)vfsmnt - bpf_core_field_offset(struct mount, mnt)),
		.pos = EXE_END,
	};
	eb->b[EXE_END] = 0;
	bpf_loop(EDRKIT_MAX_DEPTH * 2, rwalk_step, &w, 0);
	if (!w.done || w.bad)
		return 1;
	__u32 pos = w.pos;
	if (pos >= EXE_END) { /* the image is "/" itself */
		pos = EXE_END - 1;
		eb->b[pos] = '/';
	}
	const char *path = (const char *)&eb->b[pos & EXE_MASK];
#pragma unroll
	for (int i = 0; i < EDRKIT_EXE_PREFIXES; i++) {
		__u32 n = edrkit_exe_pfx_len[i];
		if (n == 0 || n >= EDRKIT_EXE_PREFIX_LEN)
			continue;
		/* strncmp(path, prefix, n): path is NUL-terminated at EXE_END, so a shorter path differs. */
		if (bpf_strncmp(path, n, (const char *)edrkit_exe_pfx[i]) == 0)
			return 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- process */

SEC("raw_tracepoint/sched_process_exec")
int edrkit_proc_exec(struct bpf_raw_tracepoint_args *ctx)
{
	if (edrkit_cfg.filter_flags & EDRKIT_F_EXE_PREFIX) {
		struct task_struct *t = (struct task_struct *)bpf_get_current_task();
		__u32 tgid = bpf_get_current_pid_tgid() >> 32;
		__u8 ok = exe_verdict(BPF_CORE_READ(t, mm, exe_file));
		bpf_map_update_elem(&edrkit_exe_ok, &tgid, &ok, BPF_ANY);
	}
	if (!wanted(EDRKIT_K_EXEC))
		return 0;
	struct edrkit_exec_rec *rec = scratch();
	if (!rec)
		return 0;
	__u8 *tail = (__u8 *)(rec + 1);
	fill_hdr(&rec->h, EDRKIT_REC_EXEC, 0);
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	path_init(&rec->exe);
	path_init(&rec->cwd);
	rec->_pad = 0;
	__u32 off = walk_file(&rec->exe, tail, 0, BPF_CORE_READ(task, mm, exe_file));
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	off = walk_path(&rec->cwd, tail, off, BPF_CORE_READ(fs, pwd.dentry), BPF_CORE_READ(fs, pwd.mnt));
	rec->cgroup_len = cgroup_names(task, tail, off);
	off += rec->cgroup_len;
	/* No link left: a memfd (or a deleted file) is running, the classic fileless execution. */
	if (BPF_CORE_READ(task, mm, exe_file, f_inode, i_nlink) == 0)
		rec->h.flags |= EDRKIT_EXEC_FILELESS;
	unsigned long start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long end = BPF_CORE_READ(task, mm, arg_end);
	unsigned long len = end - start;
	if (len > EDRKIT_ARGS_MAX) {
		len = EDRKIT_ARGS_MAX;
		rec->h.flags |= EDRKIT_EXEC_ARGS_TRUNC;
	}
	/* argv is the last part: it may use the scratch space past TAIL_PATHS. */
	if (bpf_probe_read_user(&tail[off & TAIL_MASK], len, (void *)start) < 0)
		len = 0;
	rec->args_len = len;
	off += len;
	__u32 size = sizeof(*rec) + (off & (SCRATCH_TAIL - 1));
	rec->h.size = size;
	emit(rec, size);
	return 0;
}

SEC("raw_tracepoint/sched_process_fork")
int edrkit_proc_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 child_tgid = BPF_CORE_READ(child, tgid);
	/* A new thread is not a new process. */
	if (BPF_CORE_READ(child, pid) != child_tgid)
		return 0;
	if (edrkit_cfg.filter_flags & EDRKIT_F_EXE_PREFIX) {
		/* The child runs the parent's image until it execs: same verdict. */
		__u32 tgid = bpf_get_current_pid_tgid() >> 32;
		__u8 *ok = bpf_map_lookup_elem(&edrkit_exe_ok, &tgid);
		if (ok) {
			__u8 v = *ok;
			bpf_map_update_elem(&edrkit_exe_ok, &child_tgid, &v, BPF_ANY);
		} else {
			bpf_map_delete_elem(&edrkit_exe_ok, &child_tgid);
		}
	}
	if (!wanted(EDRKIT_K_FORK))
		return 0;
	struct edrkit_fork_rec *rec = reserve(sizeof(*rec));
	if (!rec)
		return 0;
	fill_hdr(&rec->h, EDRKIT_REC_FORK, sizeof(*rec));
	rec->child_pid = child_tgid;
	rec->_pad = 0;
	rec->child_start_ns = BPF_CORE_READ(child, start_boottime);
	bpf_ringbuf_submit(rec, 0);
	return 0;
}

SEC("raw_tracepoint/sched_process_exit")
int edrkit_proc_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	/* One event per process: when its main thread exits. */
	if ((__u32)pid_tgid != (pid_tgid >> 32))
		return 0;
	if (wanted(EDRKIT_K_EXIT)) {
		struct edrkit_exit_rec *rec = reserve(sizeof(*rec));
		if (rec) {
			fill_hdr(&rec->h, EDRKIT_REC_EXIT, sizeof(*rec));
			struct task_struct *task = (struct task_struct *)bpf_get_current_task();
			rec->exit_code = BPF_CORE_READ(task, exit_code);
			rec->_pad = 0;
			bpf_ringbuf_submit(rec, 0);
		}
	}
	if (edrkit_cfg.filter_flags & EDRKIT_F_EXE_PREFIX) {
		__u32 tgid = pid_tgid >> 32;
		bpf_map_delete_elem(&edrkit_exe_ok, &tgid);
	}
	return 0;
}

/* ---------------------------------------------------------------- files */

#include "coalesce.bpf.h"

/* A file record in the scratch buffer, every fixed field set, no path yet. */
static __always_inline struct edrkit_file_rec *scratch_file(__u32 op)
{
	struct edrkit_file_rec *rec = scratch();
	if (!rec)
		return NULL;
	fill_hdr(&rec->h, EDRKIT_REC_FILE, 0);
	rec->op = op;
	rec->ret = 0;
	rec->open_flags = 0;
	rec->fmode = 0;
	rec->mode = 0;
	rec->owner_uid = 0xffffffff;
	rec->owner_gid = 0xffffffff;
	rec->repeat = 0;
	path_init(&rec->path);
	path_init(&rec->path2);
	return rec;
}

static __always_inline __u8 *file_tail(struct edrkit_file_rec *rec)
{
	return (__u8 *)(rec + 1);
}

/* Keep the record until sys_exit says whether the call succeeded; `off` = tail bytes used. */
static __always_inline void stash(struct edrkit_file_rec *rec, __u32 off)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	rec->h.size = sizeof(*rec) + (off & TAIL_MASK);
	/* Copies sizeof(struct pending_file) bytes: the scratch buffer is larger. */
	bpf_map_update_elem(&edrkit_pending, &tid, rec, BPF_ANY);
}

/* sys_exit of a path syscall: send the stashed record when the call succeeded. */
static __always_inline int flush(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending_file *pending = bpf_map_lookup_elem(&edrkit_pending, &tid);
	if (!pending)
		return 0;
	if (ret >= 0) {
		pending->r.ret = ret;
		pending->r.h.ts_ns = bpf_ktime_get_boot_ns();
		emit(pending, sizeof(pending->r) + ((pending->r.h.size - sizeof(pending->r)) & TAIL_MASK));
	}
	bpf_map_delete_elem(&edrkit_pending, &tid);
	return 0;
}

static __always_inline int path_op(__u32 kind, __u32 op, int dirfd, const char *p)
{
	if (!wanted(kind))
		return 0;
	struct edrkit_file_rec *rec = scratch_file(op);
	if (!rec)
		return 0;
	stash(rec, user_path(&rec->path, file_tail(rec), 0, dirfd, p));
	return 0;
}

static __always_inline int rename_op(int olddfd, const char *oldp, int newdfd, const char *newp)
{
	if (!wanted(EDRKIT_K_FILE_RENAME))
		return 0;
	struct edrkit_file_rec *rec = scratch_file(EDRKIT_FILE_RENAME);
	if (!rec)
		return 0;
	__u32 off = user_path(&rec->path, file_tail(rec), 0, olddfd, oldp);
	stash(rec, user_path(&rec->path2, file_tail(rec), off, newdfd, newp));
	return 0;
}

static __always_inline int attr_op(__u32 op, int dirfd, const char *p, int fd, __u32 mode, __u32 uid, __u32 gid)
{
	if (!wanted(EDRKIT_K_FILE_ATTR))
		return 0;
	struct edrkit_file_rec *rec = scratch_file(op);
	if (!rec)
		return 0;
	__u32 off;
	if (p)
		off = user_path(&rec->path, file_tail(rec), 0, dirfd, p);
	else
		off = walk_file(&rec->path, file_tail(rec), 0, fd_file(fd));
	rec->mode = mode;
	rec->owner_uid = uid;
	rec->owner_gid = gid;
	stash(rec, off);
	return 0;
}

#define ARG(n) ((long)ctx->args[n])
#define ENTER(name) SEC("tracepoint/syscalls/sys_enter_" #name) int edrkit_file_##name(struct trace_event_raw_sys_enter *ctx)
#define EXIT(name) SEC("tracepoint/syscalls/sys_exit_" #name) int edrkit_file_##name##_x(struct trace_event_raw_sys_exit *ctx) { return flush(ctx->ret); }

ENTER(unlink) { return path_op(EDRKIT_K_FILE_DELETE, EDRKIT_FILE_UNLINK, AT_FDCWD, (const char *)ARG(0)); }
EXIT(unlink)
ENTER(unlinkat) { return path_op(EDRKIT_K_FILE_DELETE, (ARG(2) & 0x200) ? EDRKIT_FILE_RMDIR : EDRKIT_FILE_UNLINK, ARG(0), (const char *)ARG(1)); }
EXIT(unlinkat)
ENTER(rmdir) { return path_op(EDRKIT_K_FILE_DELETE, EDRKIT_FILE_RMDIR, AT_FDCWD, (const char *)ARG(0)); }
EXIT(rmdir)
ENTER(mkdir) { return path_op(EDRKIT_K_FILE_CREATE, EDRKIT_FILE_MKDIR, AT_FDCWD, (const char *)ARG(0)); }
EXIT(mkdir)
ENTER(mkdirat) { return path_op(EDRKIT_K_FILE_CREATE, EDRKIT_FILE_MKDIR, ARG(0), (const char *)ARG(1)); }
EXIT(mkdirat)
ENTER(truncate) { return path_op(EDRKIT_K_FILE_MODIFY, EDRKIT_FILE_TRUNCATE, AT_FDCWD, (const char *)ARG(0)); }
EXIT(truncate)
ENTER(rename) { return rename_op(AT_FDCWD, (const char *)ARG(0), AT_FDCWD, (const char *)ARG(1)); }
EXIT(rename)
ENTER(renameat) { return rename_op(ARG(0), (const char *)ARG(1), ARG(2), (const char *)ARG(3)); }
EXIT(renameat)
ENTER(renameat2) { return rename_op(ARG(0), (const char *)ARG(1), ARG(2), (const char *)ARG(3)); }
EXIT(renameat2)
ENTER(chmod) { return attr_op(EDRKIT_FILE_CHMOD, AT_FDCWD, (const char *)ARG(0), -1, ARG(1), 0xffffffff, 0xffffffff); }
EXIT(chmod)
ENTER(fchmodat) { return attr_op(EDRKIT_FILE_CHMOD, ARG(0), (const char *)ARG(1), -1, ARG(2), 0xffffffff, 0xffffffff); }
EXIT(fchmodat)
ENTER(fchmodat2) { return attr_op(EDRKIT_FILE_CHMOD, ARG(0), (const char *)ARG(1), -1, ARG(2), 0xffffffff, 0xffffffff); }
EXIT(fchmodat2)
ENTER(fchmod) { return attr_op(EDRKIT_FILE_CHMOD, 0, 0, ARG(0), ARG(1), 0xffffffff, 0xffffffff); }
EXIT(fchmod)
ENTER(chown) { return attr_op(EDRKIT_FILE_CHOWN, AT_FDCWD, (const char *)ARG(0), -1, 0, ARG(1), ARG(2)); }
EXIT(chown)
ENTER(lchown) { return attr_op(EDRKIT_FILE_CHOWN, AT_FDCWD, (const char *)ARG(0), -1, 0, ARG(1), ARG(2)); }
EXIT(lchown)
ENTER(fchownat) { return attr_op(EDRKIT_FILE_CHOWN, ARG(0), (const char *)ARG(1), -1, 0, ARG(2), ARG(3)); }
EXIT(fchownat)
ENTER(fchown) { return attr_op(EDRKIT_FILE_CHOWN, 0, 0, ARG(0), 0, ARG(1), ARG(2)); }
EXIT(fchown)

/* probes-a.bpf.h: an open of /proc/PID/mem also gives an access record. */
static __always_inline bool open_exit_a(struct file *file, struct inode *inode, __u32 flags, long ret);

/* Opens: remember flags at enter; at exit the new fd's struct file gives the absolute path and FMODE_CREATED. */
static __always_inline int open_enter(__u32 flags, __u32 mode)
{
	/* Raw block reads and /proc/PID/mem opens are only known at exit: those kinds need every open. */
	__u32 want = EDRKIT_K_FILE_OPEN | EDRKIT_K_RAW_READ | EDRKIT_K_PROC_ACCESS | EDRKIT_K_PROC_TAMPER;
	if (flags & O_CREAT)
		want |= EDRKIT_K_FILE_CREATE;
	if (flags & (O_WRONLY | O_RDWR | O_TRUNC))
		want |= EDRKIT_K_FILE_MODIFY;
	if (!wanted(want))
		return 0;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_args a = { .flags = flags, .mode = mode };
	bpf_map_update_elem(&edrkit_args, &tid, &a, BPF_ANY);
	return 0;
}

static __always_inline int open_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_args *a = bpf_map_lookup_elem(&edrkit_args, &tid);
	if (!a)
		return 0;
	__u32 flags = a->flags, mode = a->mode;
	bpf_map_delete_elem(&edrkit_args, &tid);
	if (ret < 0)
		return 0;
	struct file *file = fd_file(ret);
	if (!file)
		return 0;
	__u32 fmode = BPF_CORE_READ(file, f_mode);
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	__u32 imode = BPF_CORE_READ(inode, i_mode);
	bool blockdev = (imode & S_IFMT) == S_IFBLK;
	open_exit_a(file, inode, flags, ret); /* /proc/PID/mem: process access or tampering */
	/* Only what was asked for: plain reads when file.open is on, creations, writes, raw block reads. */
	if (!(edrkit_cfg.kinds & EDRKIT_K_FILE_OPEN) &&
	    !((edrkit_cfg.kinds & EDRKIT_K_RAW_READ) && blockdev && (flags & O_ACCMODE) != O_WRONLY) &&
	    !((edrkit_cfg.kinds & EDRKIT_K_FILE_CREATE) && (fmode & EDRKIT_FMODE_CREATED)) &&
	    !((edrkit_cfg.kinds & EDRKIT_K_FILE_MODIFY) && (flags & (O_WRONLY | O_RDWR | O_TRUNC))))
		return 0;
	__u32 repeat = 0; /* creations skip coalesce_open, which is what sets it */
	if (!(fmode & EDRKIT_FMODE_CREATED) && coalesce_open(file, flags, &repeat))
		return 0;
	struct edrkit_file_rec *rec = scratch_file(EDRKIT_FILE_OPEN);
	if (!rec)
		return 0;
	rec->repeat = repeat;
	rec->ret = ret;
	rec->open_flags = flags;
	rec->fmode = fmode;
	rec->mode = mode;
	if (blockdev)
		rec->h.flags |= EDRKIT_FILE_BLOCKDEV;
	__u32 off = walk_file(&rec->path, file_tail(rec), 0, file);
	__u32 size = sizeof(*rec) + (off & TAIL_MASK);
	rec->h.size = size;
	emit(rec, size);
	return 0;
}
SEC("tracepoint/syscalls/sys_enter_openat")
int edrkit_file_openat(struct trace_event_raw_sys_enter *ctx) { return open_enter(ARG(2), ARG(3)); }
SEC("tracepoint/syscalls/sys_exit_openat")
int edrkit_file_openat_x(struct trace_event_raw_sys_exit *ctx) { return open_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_enter_open")
int edrkit_file_open(struct trace_event_raw_sys_enter *ctx) { return open_enter(ARG(1), ARG(2)); }
SEC("tracepoint/syscalls/sys_exit_open")
int edrkit_file_open_x(struct trace_event_raw_sys_exit *ctx) { return open_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_enter_creat")
int edrkit_file_creat(struct trace_event_raw_sys_enter *ctx) { return open_enter(O_CREAT | O_WRONLY | O_TRUNC, ARG(1)); }
SEC("tracepoint/syscalls/sys_exit_creat")
int edrkit_file_creat_x(struct trace_event_raw_sys_exit *ctx) { return open_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_enter_openat2")
int edrkit_file_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};
	bpf_probe_read_user(&how, sizeof(how), (void *)ARG(2));
	return open_enter(how.flags, how.mode);
}
SEC("tracepoint/syscalls/sys_exit_openat2")
int edrkit_file_openat2_x(struct trace_event_raw_sys_exit *ctx) { return open_exit(ctx->ret); }

/* memfd_create: a memory-backed file (fileless execution staging) reported as file.create. */
SEC("tracepoint/syscalls/sys_enter_memfd_create")
int edrkit_file_memfd(struct trace_event_raw_sys_enter *ctx)
{
	if (!wanted(EDRKIT_K_FILE_CREATE))
		return 0;
	struct edrkit_file_rec *rec = scratch_file(EDRKIT_FILE_MEMFD);
	if (!rec)
		return 0;
	rec->open_flags = ARG(1); /* MFD_* flags */
	stash(rec, user_path(&rec->path, file_tail(rec), 0, -1, (const char *)ARG(0))); /* -1: a name, no base directory */
	return 0;
}
SEC("tracepoint/syscalls/sys_exit_memfd_create")
int edrkit_file_memfd_x(struct trace_event_raw_sys_exit *ctx) { return flush(ctx->ret); }

/* ---------------------------------------------------------------- network */

static __always_inline struct sock *fd_sock(int fd)
{
	struct file *file = fd_file(fd);
	if (!file)
		return NULL;
	struct socket *sock = BPF_CORE_READ(file, private_data);
	if (!sock)
		return NULL;
	/* private_data is a socket only for sockets: check the socket points back at the file. */
	if (BPF_CORE_READ(sock, file) != file)
		return NULL;
	return BPF_CORE_READ(sock, sk);
}

static __always_inline int sock_addrs(struct sock *sk, __u16 *family, __u8 *laddr, __u8 *raddr, __u16 *lport, __u16 *rport)
{
	__u16 fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	/* Explicit sizes: the destinations are byte arrays, not the source types. */
	if (fam == AF_INET) {
		bpf_core_read(laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(raddr, 4, &sk->__sk_common.skc_daddr);
	} else if (fam == AF_INET6) {
		bpf_core_read(laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(raddr, 16, &sk->__sk_common.skc_v6_daddr);
	} else {
		return -1;
	}
	*family = fam;
	*lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	*rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	return 0;
}

static __always_inline int net_enter(__u32 kind, int fd)
{
	if (!wanted(kind))
		return 0;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_args a = { .flags = fd, .mode = 0 };
	bpf_map_update_elem(&edrkit_args, &tid, &a, BPF_ANY);
	return 0;
}

/* fd < 0: the socket is the syscall's return value (accept). */
static __always_inline int net_exit(__u32 op, long ret, bool fd_is_ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_args *a = bpf_map_lookup_elem(&edrkit_args, &tid);
	if (!a)
		return 0;
	int fd = fd_is_ret ? ret : (int)a->flags;
	bpf_map_delete_elem(&edrkit_args, &tid);
	if (ret < 0 && !(op == EDRKIT_NET_CONNECT && ret == -EINPROGRESS))
		return 0;
	struct sock *sk = fd_sock(fd);
	if (!sk)
		return 0;
	__u16 proto = BPF_CORE_READ(sk, sk_protocol);
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return 0;
	if (op == EDRKIT_NET_BIND && proto != IPPROTO_UDP)
		return 0; /* TCP binds are reported at listen() */
	struct edrkit_net_rec *rec = reserve(sizeof(*rec));
	if (!rec)
		return 0;
	fill_hdr(&rec->h, EDRKIT_REC_NET, sizeof(*rec));
	__builtin_memset(rec->laddr, 0, sizeof(rec->laddr));
	__builtin_memset(rec->raddr, 0, sizeof(rec->raddr));
	rec->op = op;
	rec->ret = ret;
	rec->protocol = proto;
	if (sock_addrs(sk, &rec->family, rec->laddr, rec->raddr, &rec->lport, &rec->rport) < 0) {
		bpf_ringbuf_discard(rec, 0);
		return 0;
	}
	bpf_ringbuf_submit(rec, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_connect")
int edrkit_net_connect(struct trace_event_raw_sys_enter *ctx) { return net_enter(EDRKIT_K_NET_CONNECT, ARG(0)); }
SEC("tracepoint/syscalls/sys_exit_connect")
int edrkit_net_connect_x(struct trace_event_raw_sys_exit *ctx) { return net_exit(EDRKIT_NET_CONNECT, ctx->ret, false); }
SEC("tracepoint/syscalls/sys_enter_accept")
int edrkit_net_accept(struct trace_event_raw_sys_enter *ctx) { return net_enter(EDRKIT_K_NET_ACCEPT, ARG(0)); }
SEC("tracepoint/syscalls/sys_exit_accept")
int edrkit_net_accept_x(struct trace_event_raw_sys_exit *ctx) { return net_exit(EDRKIT_NET_ACCEPT, ctx->ret, true); }
SEC("tracepoint/syscalls/sys_enter_accept4")
int edrkit_net_accept4(struct trace_event_raw_sys_enter *ctx) { return net_enter(EDRKIT_K_NET_ACCEPT, ARG(0)); }
SEC("tracepoint/syscalls/sys_exit_accept4")
int edrkit_net_accept4_x(struct trace_event_raw_sys_exit *ctx) { return net_exit(EDRKIT_NET_ACCEPT, ctx->ret, true); }
SEC("tracepoint/syscalls/sys_enter_listen")
int edrkit_net_listen(struct trace_event_raw_sys_enter *ctx) { return net_enter(EDRKIT_K_NET_LISTEN, ARG(0)); }
SEC("tracepoint/syscalls/sys_exit_listen")
int edrkit_net_listen_x(struct trace_event_raw_sys_exit *ctx) { return net_exit(EDRKIT_NET_LISTEN, ctx->ret, false); }
SEC("tracepoint/syscalls/sys_enter_bind")
int edrkit_net_bind(struct trace_event_raw_sys_enter *ctx) { return net_enter(EDRKIT_K_NET_LISTEN, ARG(0)); }
SEC("tracepoint/syscalls/sys_exit_bind")
int edrkit_net_bind_x(struct trace_event_raw_sys_exit *ctx) { return net_exit(EDRKIT_NET_BIND, ctx->ret, false); }

/* ---------------------------------------------------------------- dns */

/* A UDP datagram to port 53: copy the head of the payload; user space parses the question. */
static __always_inline int dns_send(int fd, const void *buf, __u64 len, const struct sockaddr *uaddr)
{
	if (!wanted(EDRKIT_K_DNS) || !buf || len < 12)
		return 0;
	struct sock *sk = fd_sock(fd);
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_UDP)
		return 0;
	__u16 family = 0, rport = 0;
	__u8 raddr[16] = {};
	if (uaddr) {
		struct sockaddr_in6 sa = {};
		bpf_probe_read_user(&sa, sizeof(sa), uaddr);
		family = sa.sin6_family;
		rport = bpf_ntohs(sa.sin6_port);
		if (family == AF_INET)
			__builtin_memcpy(raddr, &((struct sockaddr_in *)&sa)->sin_addr, 4);
		else if (family == AF_INET6)
			__builtin_memcpy(raddr, &sa.sin6_addr, 16);
	} else {
		__u8 laddr[16];
		__u16 lport;
		if (sock_addrs(sk, &family, laddr, raddr, &lport, &rport) < 0)
			return 0;
	}
	if (rport != 53)
		return 0;
	struct edrkit_dns_rec *rec = scratch();
	if (!rec)
		return 0;
	fill_hdr(&rec->h, EDRKIT_REC_DNS, 0);
	rec->family = family;
	rec->rport = rport;
	__builtin_memcpy(rec->raddr, raddr, 16);
	__u32 n = len > EDRKIT_DNS_PAYLOAD ? EDRKIT_DNS_PAYLOAD : len;
	if (bpf_probe_read_user(rec + 1, n, buf) < 0)
		n = 0;
	rec->len = n;
	__u32 size = sizeof(*rec) + (n & (SCRATCH_TAIL - 1));
	rec->h.size = size;
	emit(rec, size);
	return 0;
}

static __always_inline int dns_msghdr(int fd, const struct user_msghdr *umsg)
{
	struct user_msghdr msg = {};
	if (bpf_probe_read_user(&msg, sizeof(msg), umsg) < 0 || msg.msg_iovlen < 1)
		return 0;
	struct iovec iov = {};
	if (bpf_probe_read_user(&iov, sizeof(iov), msg.msg_iov) < 0)
		return 0;
	return dns_send(fd, iov.iov_base, iov.iov_len, msg.msg_name);
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int edrkit_dns_sendto(struct trace_event_raw_sys_enter *ctx)
{
	return dns_send(ARG(0), (const void *)ARG(1), ARG(2), (const struct sockaddr *)ARG(4));
}
SEC("tracepoint/syscalls/sys_enter_sendmsg")
int edrkit_dns_sendmsg(struct trace_event_raw_sys_enter *ctx) { return dns_msghdr(ARG(0), (const struct user_msghdr *)ARG(1)); }
/* sendmmsg: glibc sends the A and AAAA questions together; report the first two messages. */
SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int edrkit_dns_sendmmsg(struct trace_event_raw_sys_enter *ctx)
{
	const struct mmsghdr *v = (const struct mmsghdr *)ARG(1);
	__u32 n = ARG(2);
	if (n >= 1)
		dns_msghdr(ARG(0), (const struct user_msghdr *)&v[0].msg_hdr);
	if (n >= 2)
		dns_msghdr(ARG(0), (const struct user_msghdr *)&v[1].msg_hdr);
	return 0;
}

/* ---------------------------------------------------------------- kernel modules */

SEC("tracepoint/syscalls/sys_enter_finit_module")
int edrkit_kmod_finit(struct trace_event_raw_sys_enter *ctx)
{
	if (!wanted(EDRKIT_K_KMOD))
		return 0;
	struct edrkit_file_rec *rec = scratch_file(0);
	if (!rec)
		return 0;
	stash(rec, walk_file(&rec->path, file_tail(rec), 0, fd_file(ARG(0))));
	return 0;
}
SEC("tracepoint/syscalls/sys_enter_init_module")
int edrkit_kmod_init(struct trace_event_raw_sys_enter *ctx)
{
	if (!wanted(EDRKIT_K_KMOD))
		return 0;
	struct edrkit_file_rec *rec = scratch_file(0);
	if (rec)
		stash(rec, 0);
	return 0;
}

/* The stashed file record becomes a kmod record: same path, moved after the smaller header. */
static __always_inline int kmod_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending_file *pending = bpf_map_lookup_elem(&edrkit_pending, &tid);
	if (!pending)
		return 0;
	struct edrkit_kmod_rec *rec = ret == 0 ? scratch() : NULL;
	if (rec) {
		fill_hdr(&rec->h, EDRKIT_REC_KMOD, 0);
		rec->path = pending->r.path;
		__u32 n = (pending->r.h.size - sizeof(pending->r)) & TAIL_MASK;
		if (bpf_probe_read_kernel(rec + 1, n, pending->tail) < 0) {
			path_init(&rec->path);
			n = 0;
		}
		__u32 size = sizeof(*rec) + n;
		rec->h.size = size;
		emit(rec, size);
	}
	bpf_map_delete_elem(&edrkit_pending, &tid);
	return 0;
}
SEC("tracepoint/syscalls/sys_exit_finit_module")
int edrkit_kmod_finit_x(struct trace_event_raw_sys_exit *ctx) { return kmod_exit(ctx->ret); }
SEC("tracepoint/syscalls/sys_exit_init_module")
int edrkit_kmod_init_x(struct trace_event_raw_sys_exit *ctx) { return kmod_exit(ctx->ret); }

/* ---------------------------------------------------------------- images */

/*
 * image.load: a file mapped executable (how ld.so loads a shared object's text, and how a
 * program dlopen()s one). At sys_enter_mmap remember the fd; at sys_exit, when the mapping
 * succeeded, walk the fd's file, once per (address space, file). The main executable is
 * mapped by the kernel at exec, not by mmap, so it is reported by process.exec only.
 */
struct mmap_args {
	__u32 fd;
	__u32 prot;
	__u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct mmap_args);
} edrkit_mmap_args SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_mmap")
int edrkit_image_mmap(struct trace_event_raw_sys_enter *ctx)
{
	__u32 prot = ARG(2), flags = ARG(3);
	int fd = ARG(4);
	if (!(prot & PROT_EXEC) || (flags & MAP_ANONYMOUS) || fd < 0 || !wanted(EDRKIT_K_IMAGE))
		return 0;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct mmap_args a = { .fd = fd, .prot = prot, .flags = flags };
	bpf_map_update_elem(&edrkit_mmap_args, &tid, &a, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_mmap")
int edrkit_image_mmap_x(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct mmap_args *a = bpf_map_lookup_elem(&edrkit_mmap_args, &tid);
	if (!a)
		return 0;
	struct mmap_args args = *a;
	bpf_map_delete_elem(&edrkit_mmap_args, &tid);
	long ret = ctx->ret;
	if (ret < 0 && ret > -4096)
		return 0; /* -errno */
	struct file *file = fd_file(args.fd);
	if (!file)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct image_key key = {
		.mm = (__u64)BPF_CORE_READ(task, mm),
		.inode = (__u64)BPF_CORE_READ(file, f_inode),
		.start_ns = BPF_CORE_READ(task, group_leader, start_boottime),
	};
	__u8 one = 1;
	/* BPF_NOEXIST fails when this address space already mapped this file: report once. */
	if (bpf_map_update_elem(&edrkit_images, &key, &one, BPF_NOEXIST) != 0)
		return 0;
	struct edrkit_image_rec *rec = scratch();
	if (!rec)
		return 0;
	fill_hdr(&rec->h, EDRKIT_REC_IMAGE, 0);
	rec->prot = args.prot;
	rec->flags = args.flags;
	path_init(&rec->path);
	__u32 off = walk_file(&rec->path, (__u8 *)(rec + 1), 0, file);
	__u32 size = sizeof(*rec) + (off & TAIL_MASK);
	rec->h.size = size;
	emit(rec, size);
	return 0;
}

#include "probes-a.bpf.h"
/* Part B of issue 14: close-after-write and watched-directory signals. */
#include "probes-b.bpf.h"
/* Part D of issue 14: privilege changes (set*id, setgroups, capset). */
#include "probes-d.bpf.h"
