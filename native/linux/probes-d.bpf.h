/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * Part D probes (issue 14d), included at the end of edrkit.bpf.c: privilege changes.
 * setuid, setgid, setreuid, setregid, setresuid, setresgid, setfsuid, setfsgid, setgroups and
 * capset, on their syscall tracepoints like the rest. The record is defined in edrkit.h (part D
 * block). Programs are named edrkit_creds_* (a group user space leaves unloaded when
 * process.credentials is not asked for).
 *
 * sys_enter keeps the thread's credentials (current->cred, read with CO-RE); sys_exit reads
 * them again and sends a record only when they differ. Why compare instead of trusting the
 * call: commit_creds() installs a new struct cred on every successful call, even one that sets
 * what the thread already has (setuid(getuid()), a daemon calling setgroups with its current
 * list, a root process calling setresuid(0, 0, 0) "to be sure"). Such a call grants and drops
 * nothing, so it is no privilege change and no event; only the values say that, not the
 * return code or the cred pointer. It also covers the calls whose return value is no success
 * flag: setfsuid/setfsgid return the previous fsuid/fsgid, whether or not they changed it.
 */

/* The call and the credentials at sys_enter, kept until its sys_exit (LRU: a lost exit is evicted). */
struct creds_pending {
	__u32 op;
	__u32 _pad;
	struct edrkit_cred_set before;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct creds_pending);
} edrkit_creds_args SEC(".maps");

/* The current thread's credentials: ids, capability masks, the first EDRKIT_CRED_GROUPS groups. */
static __always_inline void read_creds(struct edrkit_cred_set *s)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	const struct cred *c = BPF_CORE_READ(task, cred);
	s->uid = BPF_CORE_READ(c, uid.val);
	s->euid = BPF_CORE_READ(c, euid.val);
	s->suid = BPF_CORE_READ(c, suid.val);
	s->fsuid = BPF_CORE_READ(c, fsuid.val);
	s->gid = BPF_CORE_READ(c, gid.val);
	s->egid = BPF_CORE_READ(c, egid.val);
	s->sgid = BPF_CORE_READ(c, sgid.val);
	s->fsgid = BPF_CORE_READ(c, fsgid.val);
	/* kernel_cap_t is 8 bytes on every kernel: u32 cap[2] before 6.3, u64 val since (little-endian: the same bits). */
	s->cap_effective = 0;
	s->cap_permitted = 0;
	s->cap_inheritable = 0;
	bpf_core_read(&s->cap_effective, sizeof(s->cap_effective), &c->cap_effective);
	bpf_core_read(&s->cap_permitted, sizeof(s->cap_permitted), &c->cap_permitted);
	bpf_core_read(&s->cap_inheritable, sizeof(s->cap_inheritable), &c->cap_inheritable);
	__builtin_memset(s->groups, 0, sizeof(s->groups));
	s->_pad = 0;
	struct group_info *gi = BPF_CORE_READ(c, group_info);
	int n = gi ? BPF_CORE_READ(gi, ngroups) : 0;
	s->ngroups = n > 0 ? n : 0;
	if (!gi)
		return;
	const __u8 *gids = (const __u8 *)gi + bpf_core_field_offset(struct group_info, gid);
	/* One constant-size read per group (a computed size would need a bound the verifier can follow). */
#pragma unroll
	for (int i = 0; i < EDRKIT_CRED_GROUPS; i++) {
		if (i >= n)
			break;
		bpf_probe_read_kernel(&s->groups[i], sizeof(__u32), gids + i * sizeof(__u32));
	}
}

/* Whether two credential sets are equal (compared as 16 u64 words: every byte is set by read_creds). */
static __always_inline bool same_creds(const struct edrkit_cred_set *a, const struct edrkit_cred_set *b)
{
	const __u64 *x = (const __u64 *)a;
	const __u64 *y = (const __u64 *)b;
#pragma unroll
	for (int i = 0; i < sizeof(*a) / 8; i++) {
		if (x[i] != y[i])
			return false;
	}
	return true;
}

static __always_inline int creds_enter(__u32 op)
{
	if (!wanted(EDRKIT_K_CREDS))
		return 0;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct creds_pending p = { .op = op };
	read_creds(&p.before);
	bpf_map_update_elem(&edrkit_creds_args, &tid, &p, BPF_ANY);
	return 0;
}

static __always_inline int creds_exit(__u32 op, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct creds_pending *p = bpf_map_lookup_elem(&edrkit_creds_args, &tid);
	if (!p)
		return 0;
	/* Another syscall's entry (its exit was missed), or a failed call (setfs*id: no error value). */
	bool fs = op == EDRKIT_CREDS_SETFSUID || op == EDRKIT_CREDS_SETFSGID;
	struct edrkit_creds_rec *rec = p->op == op && (fs || ret == 0) ? scratch() : NULL;
	if (!rec) {
		bpf_map_delete_elem(&edrkit_creds_args, &tid);
		return 0;
	}
	rec->before = p->before;
	bpf_map_delete_elem(&edrkit_creds_args, &tid);
	read_creds(&rec->after);
	/*
	 * Only the first EDRKIT_CRED_GROUPS groups are compared: a setgroups with a longer list
	 * before or after is sent whatever the comparison says (a change past them is not seen).
	 */
	bool long_groups = rec->before.ngroups > EDRKIT_CRED_GROUPS || rec->after.ngroups > EDRKIT_CRED_GROUPS;
	if (same_creds(&rec->before, &rec->after) &&
	    !(long_groups && op == EDRKIT_CREDS_SETGROUPS))
		return 0; /* nothing changed: no privilege was granted or dropped */
	fill_hdr(&rec->h, EDRKIT_REC_CREDS, sizeof(*rec));
	if (long_groups)
		rec->h.flags |= EDRKIT_CREDS_GROUPS_TRUNC;
	rec->op = op;
	rec->ret = ret;
	/*
	 * Every thread glibc makes repeat a set*id call (its setxid broadcast) sends its own record;
	 * user space folds them into one event per process (to-events-d.ts). A fold here would race:
	 * the threads exit the call at once on different CPUs.
	 */
	emit(rec, sizeof(*rec));
	return 0;
}

#define CREDS_PROBE(name, OP)                                                             \
	SEC("tracepoint/syscalls/sys_enter_" #name)                                       \
	int edrkit_creds_##name(struct trace_event_raw_sys_enter *ctx) { return creds_enter(OP); } \
	SEC("tracepoint/syscalls/sys_exit_" #name)                                        \
	int edrkit_creds_##name##_x(struct trace_event_raw_sys_exit *ctx) { return creds_exit(OP, ctx->ret); }

CREDS_PROBE(setuid, EDRKIT_CREDS_SETUID)
CREDS_PROBE(setgid, EDRKIT_CREDS_SETGID)
CREDS_PROBE(setreuid, EDRKIT_CREDS_SETREUID)
CREDS_PROBE(setregid, EDRKIT_CREDS_SETREGID)
CREDS_PROBE(setresuid, EDRKIT_CREDS_SETRESUID)
CREDS_PROBE(setresgid, EDRKIT_CREDS_SETRESGID)
CREDS_PROBE(setfsuid, EDRKIT_CREDS_SETFSUID)
CREDS_PROBE(setfsgid, EDRKIT_CREDS_SETFSGID)
CREDS_PROBE(setgroups, EDRKIT_CREDS_SETGROUPS)
CREDS_PROBE(capset, EDRKIT_CREDS_CAPSET)
