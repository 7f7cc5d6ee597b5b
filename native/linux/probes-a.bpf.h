/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Part A probes (issue 14a), included at the end of edrkit.bpf.c:
 *   - process access / tampering: ptrace, process_vm_readv/writev, open of /proc/PID/mem;
 *   - eBPF: bpf(2) PROG_LOAD, PROG_ATTACH, RAW_TRACEPOINT_OPEN, LINK_CREATE.
 * Syscall tracepoints only, like the rest. Records are defined in edrkit.h (part A block).
 * Programs are named edrkit_access_* and edrkit_bpf_* (groups user space can leave unloaded).
 */

#define PROC_SUPER_MAGIC 0x9fa0

#define PTRACE_PEEKTEXT 1
#define PTRACE_PEEKDATA 2
#define PTRACE_PEEKUSR 3
#define PTRACE_POKETEXT 4
#define PTRACE_POKEDATA 5
#define PTRACE_POKEUSR 6
#define PTRACE_GETREGS 12
#define PTRACE_SETREGS 13
#define PTRACE_GETFPREGS 14
#define PTRACE_SETFPREGS 15
#define PTRACE_ATTACH 16
#define PTRACE_GETFPXREGS 18
#define PTRACE_SETFPXREGS 19
#define PTRACE_GETSIGINFO 0x4202
#define PTRACE_SETSIGINFO 0x4203
#define PTRACE_GETREGSET 0x4204
#define PTRACE_SETREGSET 0x4205
#define PTRACE_SEIZE 0x4206
#define PTRACE_PEEKSIGINFO 0x4209

/* What a syscall asked for, kept from sys_enter to sys_exit (LRU: a lost exit is evicted). */
struct a_args {
	__u32 op;
	__u32 request;
	__u32 target;
	__u32 _pad;
	__u64 addr; /* ptrace addr, remote iovec base, or the bpf(2) attr pointer */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct a_args);
} edrkit_a_args SEC(".maps");

/* Repeated peeks/pokes/process_vm_* calls: reported once per (caller, target, op, request). */
struct access_key {
	__u64 start_ns;
	__u32 tgid;
	__u32 target;
	__u32 op;
	__u32 request;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct access_key);
	__type(value, __u8);
} edrkit_access_seen SEC(".maps");

/* EDRKIT_K_PROC_ACCESS, EDRKIT_K_PROC_TAMPER, or 0 for a request that reads or writes nothing of the target. */
static __always_inline __u32 ptrace_kind(__u32 req)
{
	switch (req) {
	case PTRACE_ATTACH:
	case PTRACE_SEIZE:
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
	case PTRACE_PEEKUSR:
	case PTRACE_GETREGS:
	case PTRACE_GETFPREGS:
	case PTRACE_GETFPXREGS:
	case PTRACE_GETSIGINFO:
	case PTRACE_GETREGSET:
	case PTRACE_PEEKSIGINFO:
		return EDRKIT_K_PROC_ACCESS;
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
	case PTRACE_POKEUSR:
	case PTRACE_SETREGS:
	case PTRACE_SETFPREGS:
	case PTRACE_SETFPXREGS:
	case PTRACE_SETSIGINFO:
	case PTRACE_SETREGSET:
		return EDRKIT_K_PROC_TAMPER;
	default:
		return 0;
	}
}

static __always_inline void a_remember(__u32 op, __u32 request, __u32 target, __u64 addr)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct a_args a = { .op = op, .request = request, .target = target, .addr = addr };
	bpf_map_update_elem(&edrkit_a_args, &tid, &a, BPF_ANY);
}

/* The remembered arguments of this thread's call (copied), removed from the map; 0 when none. */
static __always_inline int a_take(struct a_args *out)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct a_args *a = bpf_map_lookup_elem(&edrkit_a_args, &tid);
	if (!a)
		return 0;
	*out = *a;
	bpf_map_delete_elem(&edrkit_a_args, &tid);
	return 1;
}

/* Send a fixed-size access record (no path) after a successful call. */
static __always_inline int access_exit(long ret, bool dedupe)
{
	struct a_args a;
	/* The op check: an entry left by another syscall whose exit was missed is never taken for this one. */
	if (!a_take(&a) || ret < 0 || a.op < EDRKIT_ACCESS_PTRACE || a.op > EDRKIT_ACCESS_VM_WRITE)
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (dedupe) {
		struct task_struct *task = (struct task_struct *)bpf_get_current_task();
		struct access_key key = {
			.start_ns = BPF_CORE_READ(task, group_leader, start_boottime),
			.tgid = pid_tgid >> 32,
			.target = a.target,
			.op = a.op,
			.request = a.request,
		};
		__u8 one = 1;
		if (bpf_map_update_elem(&edrkit_access_seen, &key, &one, BPF_NOEXIST) != 0)
			return 0;
	}
	struct edrkit_access_rec *rec = reserve(sizeof(*rec));
	if (!rec)
		return 0;
	fill_hdr(&rec->h, EDRKIT_REC_ACCESS, sizeof(*rec));
	rec->op = a.op;
	rec->request = a.request;
	rec->target = a.target;
	rec->ret = ret;
	rec->addr = a.addr;
	path_init(&rec->path);
	bpf_ringbuf_submit(rec, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_ptrace")
int edrkit_access_ptrace(struct trace_event_raw_sys_enter *ctx)
{
	__u32 req = ARG(0);
	__u32 kind = ptrace_kind(req);
	if (!kind || !wanted(kind))
		return 0;
	a_remember(EDRKIT_ACCESS_PTRACE, req, ARG(1), ARG(2));
	return 0;
}
SEC("tracepoint/syscalls/sys_exit_ptrace")
int edrkit_access_ptrace_x(struct trace_event_raw_sys_exit *ctx)
{
	/* Attach and seize are reported every time; the rest once per caller, target and request. */
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct a_args *a = bpf_map_lookup_elem(&edrkit_a_args, &tid);
	if (!a)
		return 0;
	bool once = a->request != PTRACE_ATTACH && a->request != PTRACE_SEIZE;
	return access_exit(ctx->ret, once);
}

static __always_inline int vm_enter(__u32 kind, __u32 op, __u32 pid, const struct iovec *rvec, __u64 rcnt)
{
	if (!wanted(kind))
		return 0;
	struct iovec iov = {};
	if (rcnt > 0)
		bpf_probe_read_user(&iov, sizeof(iov), rvec);
	a_remember(op, 0, pid, (__u64)iov.iov_base);
	return 0;
}
SEC("tracepoint/syscalls/sys_enter_process_vm_readv")
int edrkit_access_vm_readv(struct trace_event_raw_sys_enter *ctx)
{
	return vm_enter(EDRKIT_K_PROC_ACCESS, EDRKIT_ACCESS_VM_READ, ARG(0), (const struct iovec *)ARG(3), ARG(4));
}
SEC("tracepoint/syscalls/sys_exit_process_vm_readv")
int edrkit_access_vm_readv_x(struct trace_event_raw_sys_exit *ctx) { return access_exit(ctx->ret, true); }
SEC("tracepoint/syscalls/sys_enter_process_vm_writev")
int edrkit_access_vm_writev(struct trace_event_raw_sys_enter *ctx)
{
	return vm_enter(EDRKIT_K_PROC_TAMPER, EDRKIT_ACCESS_VM_WRITE, ARG(0), (const struct iovec *)ARG(3), ARG(4));
}
SEC("tracepoint/syscalls/sys_exit_process_vm_writev")
int edrkit_access_vm_writev_x(struct trace_event_raw_sys_exit *ctx) { return access_exit(ctx->ret, true); }

/*
 * Called from open_exit (edrkit.bpf.c) for every successful open when an access kind is on:
 * a file named "mem" on procfs is /proc/PID/mem or /proc/PID/task/TID/mem. Opened for writing
 * it is tampering, for reading access. The file events of the open are sent as usual.
 */
static __always_inline bool open_exit_a(struct file *file, struct inode *inode, __u32 flags, long ret)
{
	if (!(edrkit_cfg.kinds & (EDRKIT_K_PROC_ACCESS | EDRKIT_K_PROC_TAMPER)))
		return false;
	if (BPF_CORE_READ(inode, i_sb, s_magic) != PROC_SUPER_MAGIC)
		return false;
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
	if (BPF_CORE_READ(d, d_name.len) != 3)
		return false;
	char n[4] = {};
	bpf_probe_read_kernel(n, 3, BPF_CORE_READ(d, d_name.name));
	if (n[0] != 'm' || n[1] != 'e' || n[2] != 'm')
		return false;
	__u32 kind = (flags & O_ACCMODE) != 0 ? EDRKIT_K_PROC_TAMPER : EDRKIT_K_PROC_ACCESS;
	if (!(edrkit_cfg.kinds & kind))
		return false;
	struct edrkit_access_rec *rec = scratch();
	if (!rec)
		return false;
	fill_hdr(&rec->h, EDRKIT_REC_ACCESS, 0);
	rec->op = EDRKIT_ACCESS_PROC_MEM;
	rec->request = flags;
	rec->target = 0;
	rec->ret = ret;
	rec->addr = 0;
	path_init(&rec->path);
	__u32 off = walk_file(&rec->path, (__u8 *)(rec + 1), 0, file);
	__u32 size = sizeof(*rec) + (off & TAIL_MASK);
	rec->h.size = size;
	emit(rec, size);
	return false;
}

/* ---------------------------------------------------------------- bpf(2) */

SEC("tracepoint/syscalls/sys_enter_bpf")
int edrkit_bpf_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 cmd = ARG(0);
	if (cmd != EDRKIT_BPF_PROG_LOAD && cmd != EDRKIT_BPF_PROG_ATTACH && cmd != EDRKIT_BPF_RAW_TP_OPEN && cmd != EDRKIT_BPF_LINK_CREATE)
		return 0;
	if (!wanted(EDRKIT_K_BPF))
		return 0;
	a_remember(cmd, 0, 0, ARG(1));
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_bpf")
int edrkit_bpf_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct a_args a;
	long ret = ctx->ret;
	if (!a_take(&a) || ret < 0)
		return 0;
	if (a.op != EDRKIT_BPF_PROG_LOAD && a.op != EDRKIT_BPF_PROG_ATTACH && a.op != EDRKIT_BPF_RAW_TP_OPEN && a.op != EDRKIT_BPF_LINK_CREATE)
		return 0; /* another syscall's entry (its exit was missed) */
	struct edrkit_bpf_rec *rec = scratch();
	if (!rec)
		return 0;
	fill_hdr(&rec->h, EDRKIT_REC_BPF, 0);
	rec->op = a.op;
	rec->ret = ret;
	rec->prog_type = 0;
	rec->attach_type = 0;
	rec->insn_cnt = 0;
	rec->prog_id = 0;
	__builtin_memset(rec->tag, 0, sizeof(rec->tag));
	__builtin_memset(rec->name, 0, sizeof(rec->name));
	rec->target_len = 0;
	rec->_pad0 = 0;
	rec->_pad1 = 0;
	/* The head of union bpf_attr, as the caller passed it (still mapped: the same thread). */
	__u32 attr[4] = {};
	bpf_probe_read_user(attr, sizeof(attr), (const void *)a.addr);
	int prog_fd = -1;
	bool has_attach = false;
	if (a.op == EDRKIT_BPF_PROG_LOAD) {
		prog_fd = ret;
	} else if (a.op == EDRKIT_BPF_PROG_ATTACH) {
		prog_fd = attr[1]; /* target_fd, attach_bpf_fd, attach_type */
		rec->attach_type = attr[2];
		has_attach = true;
	} else if (a.op == EDRKIT_BPF_LINK_CREATE) {
		prog_fd = attr[0]; /* prog_fd, target_fd, attach_type */
		rec->attach_type = attr[2];
		has_attach = true;
		/* struct_ops links name a map, not a program. */
		if (bpf_core_enum_value_exists(enum bpf_attach_type, BPF_STRUCT_OPS) &&
		    attr[2] == bpf_core_enum_value(enum bpf_attach_type, BPF_STRUCT_OPS))
			prog_fd = -1;
	} else {
		prog_fd = attr[2]; /* raw_tracepoint: __u64 name, __u32 prog_fd */
		const char *tp = (const char *)(((__u64)attr[1] << 32) | attr[0]);
		if (tp) {
			long n = bpf_probe_read_user_str((__u8 *)(rec + 1), EDRKIT_BPF_TARGET, tp);
			rec->target_len = n > 1 ? n - 1 : 0;
		}
	}
	struct file *f = prog_fd >= 0 ? fd_file(prog_fd) : NULL;
	struct bpf_prog *prog = f ? BPF_CORE_READ(f, private_data) : NULL;
	if (prog) {
		rec->prog_type = BPF_CORE_READ(prog, type);
		if (!has_attach)
			rec->attach_type = BPF_CORE_READ(prog, expected_attach_type);
		rec->insn_cnt = BPF_CORE_READ(prog, len);
		bpf_core_read(rec->tag, sizeof(rec->tag), &prog->tag);
		struct bpf_prog_aux *aux = BPF_CORE_READ(prog, aux);
		if (aux) {
			rec->prog_id = BPF_CORE_READ(aux, id);
			bpf_core_read(rec->name, sizeof(rec->name), &aux->name);
		}
	}
	__u32 size = sizeof(*rec) + (rec->target_len & (EDRKIT_BPF_TARGET - 1));
	rec->h.size = size;
	emit(rec, size);
	return 0;
}
