/*
 * edrkit.h: the ONLY contract between the edrkit BPF programs (edrkit.bpf.c) and user space
 * (the Node-API addon and packages/linux/src/decode). Plain fixed-size C types, explicit
 * padding, natural alignment, every struct a multiple of 8 bytes, so the layout is the same
 * for clang -target bpf and for the host compiler. packages/linux/src/decode/layout.ts mirrors
 * it; a test (header-drift.test.ts) parses this file and fails when the two disagree.
 *
 * Records are variable-length: a fixed struct (below) followed by a "tail" holding only the
 * bytes actually used by its strings, so a record costs ring space close to its payload.
 * The tail is the concatenation, in field order, of the variable parts the fixed struct
 * describes (e.g. an exec: exe path, cwd path, cgroup name, argv); each edrkit_path
 * contributes raw[raw_len] then dentry[dentry_len]. hdr.size = sizeof(fixed) + tail bytes.
 *
 * Bump EDRKIT_ABI_VERSION on any layout change.
 */
#ifndef EDRKIT_H
#define EDRKIT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define EDRKIT_ABI_VERSION 2

#define EDRKIT_COMM_LEN 16
/* Kernel-resolved path: components leaf-first, each NUL-terminated, at most this many bytes. */
#define EDRKIT_DENTRY_BUF 512
/* A component starts at an offset < EDRKIT_DENTRY_HALF and is at most that long (with its NUL). */
#define EDRKIT_DENTRY_HALF 256
/* Directory levels walked before giving up (flag EDRKIT_PATH_TRUNC). */
#define EDRKIT_MAX_DEPTH 32
/* A path string as the process passed it to the syscall: at most EDRKIT_RAW_PATH - 1 bytes. */
#define EDRKIT_RAW_PATH 256
/* argv bytes kept per exec (NUL-separated); longer argv sets EDRKIT_EXEC_ARGS_TRUNC. */
#define EDRKIT_ARGS_MAX 4096
#define EDRKIT_CGROUP_NAME 128
/* UDP payload bytes copied for DNS parsing (the question fits in 256 bytes for names < 240). */
#define EDRKIT_DNS_PAYLOAD 256

/* Record types (edrkit_hdr.type). */
#define EDRKIT_REC_EXEC 1
#define EDRKIT_REC_FORK 2
#define EDRKIT_REC_EXIT 3
#define EDRKIT_REC_FILE 4
#define EDRKIT_REC_NET 5
#define EDRKIT_REC_DNS 6
#define EDRKIT_REC_KMOD 7
#define EDRKIT_REC_IMAGE 8

/* Kind bits (edrkit_config.kinds): what the kernel side emits at all. */
#define EDRKIT_K_EXEC (1u << 0)
#define EDRKIT_K_FORK (1u << 1)
#define EDRKIT_K_EXIT (1u << 2)
#define EDRKIT_K_FILE_CREATE (1u << 3)
#define EDRKIT_K_FILE_OPEN (1u << 4)
#define EDRKIT_K_FILE_MODIFY (1u << 5)
#define EDRKIT_K_FILE_DELETE (1u << 6)
#define EDRKIT_K_FILE_RENAME (1u << 7)
#define EDRKIT_K_FILE_ATTR (1u << 8)
#define EDRKIT_K_NET_CONNECT (1u << 9)
#define EDRKIT_K_NET_ACCEPT (1u << 10)
#define EDRKIT_K_NET_LISTEN (1u << 11)
#define EDRKIT_K_DNS (1u << 12)
#define EDRKIT_K_KMOD (1u << 13)
#define EDRKIT_K_IMAGE (1u << 14)

/* Filter switches (edrkit_config.filter_flags): which filter maps are in force. */
#define EDRKIT_F_PID_INCLUDE (1u << 0)
#define EDRKIT_F_PID_EXCLUDE (1u << 1)
#define EDRKIT_F_UID_INCLUDE (1u << 2)
#define EDRKIT_F_UID_EXCLUDE (1u << 3)
#define EDRKIT_F_NAME_INCLUDE (1u << 4)
/* filter.exe, plain prefixes only: a per-tgid verdict decided at exec (edrkit_exe_pfx in .rodata). */
#define EDRKIT_F_EXE_PREFIX (1u << 5)

/* filter.exe prefixes compared in the kernel: at most this many, each < EDRKIT_EXE_PREFIX_LEN bytes. */
#define EDRKIT_EXE_PREFIXES 8
#define EDRKIT_EXE_PREFIX_LEN 256

/* edrkit_path.flags */
#define EDRKIT_PATH_HAS_DENTRY (1u << 0) /* the dentry bytes hold `depth` components (depth 0 = "/") */
#define EDRKIT_PATH_HAS_RAW (1u << 1)    /* the raw bytes hold the string passed to the syscall */
#define EDRKIT_PATH_TRUNC (1u << 2)      /* the walk stopped early: the path lacks leading parts */
#define EDRKIT_PATH_RAW_TRUNC (1u << 3)  /* raw was cut at EDRKIT_RAW_PATH - 1 bytes */

/* edrkit_hdr.flags for EXEC records */
#define EDRKIT_EXEC_ARGS_TRUNC (1u << 0)

/* edrkit_file_rec.op */
#define EDRKIT_FILE_OPEN 1     /* open/openat/openat2/creat succeeded; see open_flags, fmode */
#define EDRKIT_FILE_UNLINK 2
#define EDRKIT_FILE_RMDIR 3
#define EDRKIT_FILE_RENAME 4
#define EDRKIT_FILE_CHMOD 5
#define EDRKIT_FILE_CHOWN 6
#define EDRKIT_FILE_TRUNCATE 7
#define EDRKIT_FILE_MKDIR 8
#define EDRKIT_FILE_MEMFD 9    /* memfd_create: raw = the memfd name */

/* edrkit_net_rec.op */
#define EDRKIT_NET_CONNECT 1
#define EDRKIT_NET_ACCEPT 2
#define EDRKIT_NET_LISTEN 3
#define EDRKIT_NET_BIND 4      /* UDP bind: reported as net.listen */

/* Values copied from the kernel (not in BTF). */
#define EDRKIT_FMODE_CREATED 0x100000u

/* Set in .rodata before load. */
struct edrkit_config {
	__u32 kinds;
	__u32 filter_flags;
	__u32 self_tgid; /* 0 = report the embedding process too (filter.includeSelf) */
	__u32 _pad;
	__u32 coalesce_ms; /* fold repeated opens of a file by a process within this window (coalesce.bpf.h); 0 = off */
	__u32 _pad2;
};

/* Common to every record. 72 bytes. */
struct edrkit_hdr {
	__u16 type;
	__u16 abi;
	__u32 size;      /* sizeof the whole record */
	__u64 ts_ns;     /* bpf_ktime_get_boot_ns(): CLOCK_BOOTTIME */
	__u64 start_ns;  /* thread-group leader start, CLOCK_BOOTTIME ns */
	__u64 cgroup_id; /* cgroup v2 id */
	__u32 pid;       /* tgid */
	__u32 tid;
	__u32 ppid;      /* real_parent tgid */
	__u32 uid;
	__u32 gid;
	__u32 flags;
	char comm[EDRKIT_COMM_LEN];
};

/*
 * A path: kernel dentry walk (absolute, or the base directory of a relative raw), raw string,
 * or both. 8 bytes; its bytes are in the record's tail: raw[raw_len] (no NUL) then
 * dentry[dentry_len] (components leaf-first, each NUL-terminated).
 */
struct edrkit_path {
	__u16 flags;
	__u16 depth;
	__u16 raw_len;    /* <= EDRKIT_RAW_PATH - 1 */
	__u16 dentry_len; /* <= EDRKIT_DENTRY_BUF */
};

/* Tail: exe, cwd, cgroup[cgroup_len], args[args_len]. */
struct edrkit_exec_rec {
	struct edrkit_hdr h;
	struct edrkit_path exe; /* mm->exe_file */
	struct edrkit_path cwd; /* fs->pwd */
	__u16 cgroup_len;       /* leaf name of the default-hierarchy cgroup, no NUL; <= EDRKIT_CGROUP_NAME - 1 */
	__u16 args_len;         /* argv bytes, NUL-separated; <= EDRKIT_ARGS_MAX */
	__u32 _pad;
};

struct edrkit_fork_rec {
	struct edrkit_hdr h;
	__u32 child_pid;
	__u32 _pad;
	__u64 child_start_ns;
};

struct edrkit_exit_rec {
	struct edrkit_hdr h;
	__u32 exit_code; /* task->exit_code: (status << 8) | signal */
	__u32 _pad;
};

/* Tail: path, path2. */
struct edrkit_file_rec {
	struct edrkit_hdr h;
	__u32 op;
	__s32 ret;
	__u32 open_flags;
	__u32 fmode;     /* file->f_mode after open (EDRKIT_FMODE_CREATED) */
	__u32 mode;      /* chmod mode, open/mkdir mode */
	__u32 owner_uid; /* chown; 0xffffffff = unchanged */
	__u32 owner_gid;
	__u32 repeat;    /* opens of this key folded since its previous record (coalesce.bpf.h) */
	struct edrkit_path path;
	struct edrkit_path path2; /* rename target */
};

struct edrkit_net_rec {
	struct edrkit_hdr h;
	__u32 op;
	__s32 ret;
	__u16 family;   /* AF_INET 2, AF_INET6 10 */
	__u16 protocol; /* IPPROTO_TCP 6, IPPROTO_UDP 17 */
	__u16 lport;    /* host byte order */
	__u16 rport;    /* host byte order */
	__u8 laddr[16]; /* IPv4 in the first 4 bytes */
	__u8 raddr[16];
};

/* Tail: payload[len]. */
struct edrkit_dns_rec {
	struct edrkit_hdr h;
	__u16 family;
	__u16 rport;
	__u32 len; /* payload bytes in the tail; <= EDRKIT_DNS_PAYLOAD */
	__u8 raddr[16];
};

/* Tail: path (finit_module's file; empty for init_module). */
struct edrkit_kmod_rec {
	struct edrkit_hdr h;
	struct edrkit_path path;
};

/* An executable file mapping (mmap with PROT_EXEC of a file). Tail: path. */
struct edrkit_image_rec {
	struct edrkit_hdr h;
	__u32 prot;  /* mmap prot */
	__u32 flags; /* mmap flags */
	struct edrkit_path path;
};

#endif /* EDRKIT_H */
