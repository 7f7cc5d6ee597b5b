/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * In-kernel coalescing of repeated opens (included by edrkit.bpf.c). A process that opens
 * the same file the same way again and again (a log writer, a build touching its outputs)
 * costs one record per edrkit_cfg.coalesce_ms window instead of one per open: repeats inside
 * the window are folded, counted per CPU in edrkit_coalesced (never as drops), and the next
 * record of that key carries how many were folded since the previous one (file_rec.repeat).
 * Creations are never folded. Off when coalesce_ms is 0 (the default).
 *
 * Key: (tgid, inode, access flags). LRU: an evicted key only means its next open is sent.
 */
#ifndef EDRKIT_COALESCE_BPF_H
#define EDRKIT_COALESCE_BPF_H

#define COALESCE_FLAGS (O_WRONLY | O_RDWR | O_TRUNC | 02000 /* O_APPEND */)

struct coalesce_key {
	__u64 inode;
	__u32 tgid;
	__u32 flags;
};

struct coalesce_val {
	__u64 last_ns; /* when the last record of this key was sent */
	__u64 folded;  /* opens folded since then */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct coalesce_key);
	__type(value, struct coalesce_val);
} edrkit_coalesce SEC(".maps");

/* Opens folded into a later (or no later) record: one counter per CPU, read by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} edrkit_coalesced SEC(".maps");

/*
 * True when this open repeats one sent less than coalesce_ms ago: it is counted and must not
 * be sent. Otherwise *repeat is set to the opens folded since the previous record of the key.
 */
static __always_inline bool coalesce_open(struct file *file, __u32 flags, __u32 *repeat)
{
	*repeat = 0;
	if (!edrkit_cfg.coalesce_ms)
		return false;
	struct coalesce_key k = {
		.inode = (__u64)BPF_CORE_READ(file, f_inode),
		.tgid = bpf_get_current_pid_tgid() >> 32,
		.flags = flags & COALESCE_FLAGS,
	};
	__u64 now = bpf_ktime_get_boot_ns();
	struct coalesce_val *v = bpf_map_lookup_elem(&edrkit_coalesce, &k);
	if (v && now - v->last_ns < (__u64)edrkit_cfg.coalesce_ms * 1000000ULL) {
		__sync_fetch_and_add(&v->folded, 1);
		__u32 zero = 0;
		__u64 *n = bpf_map_lookup_elem(&edrkit_coalesced, &zero);
		if (n)
			__sync_fetch_and_add(n, 1);
		return true;
	}
	if (v) {
		/*
		 * Not atomic (no 32-bit exchange before -mcpu=v3): a fold by another thread of the
		 * process between these two lines misses its record's repeat, but edrkit_coalesced
		 * still counts it.
		 */
		__u64 f = v->folded;
		v->folded = 0;
		*repeat = f > 0xffffffffULL ? 0xffffffffu : (__u32)f;
		v->last_ns = now;
	} else {
		struct coalesce_val nv = { .last_ns = now };
		bpf_map_update_elem(&edrkit_coalesce, &k, &nv, BPF_ANY);
	}
	return false;
}

#endif /* EDRKIT_COALESCE_BPF_H */
