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

#define EDRKIT_ABI_VERSION 3

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
	__u64 cgroup_id; /* cgroup v2 id; on a v1/hybrid host where that is the root (1), the v1 cgroup's kernfs id */
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
	__u16 cgroup_len;       /* up to 3 cgroup names, leaf first, each NUL-terminated (v2, or v1 on a v1 host); <= EDRKIT_CGROUP_NAME - 1 */
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

/* ================================================================ part A (issue 14a) */
/*
 * Process access and tampering (ptrace, process_vm_readv/writev, /proc/PID/mem), eBPF program
 * loads and attaches, raw block-device reads, fileless execs, container cgroups on v1 hosts.
 */
#define EDRKIT_REC_ACCESS 9
#define EDRKIT_REC_BPF 10

#define EDRKIT_K_PROC_ACCESS (1u << 15)
#define EDRKIT_K_PROC_TAMPER (1u << 16)
#define EDRKIT_K_BPF (1u << 17)
/* Opens of block devices for reading, sent even when EDRKIT_K_FILE_OPEN is off (raw access reads). */
#define EDRKIT_K_RAW_READ (1u << 18)

/* edrkit_hdr.flags of EXEC records: the image has no link left (a memfd or a deleted file). */
#define EDRKIT_EXEC_FILELESS (1u << 1)
/* edrkit_hdr.flags of FILE records (op OPEN): the opened inode is a block device. */
#define EDRKIT_FILE_BLOCKDEV (1u << 0)

/* edrkit_access_rec.op */
#define EDRKIT_ACCESS_PTRACE 1   /* request = the ptrace request, target = its pid argument (a tid) */
#define EDRKIT_ACCESS_VM_READ 2  /* process_vm_readv: target = pid, addr = first remote iovec base */
#define EDRKIT_ACCESS_VM_WRITE 3 /* process_vm_writev: as above */
#define EDRKIT_ACCESS_PROC_MEM 4 /* open of /proc/PID/mem: request = open flags, target = 0, path = the file */

/*
 * One process acting on another. ptrace peeks/pokes and process_vm_* calls are reported once
 * per (caller, target, request) (a debugger repeats them per stop); attach, seize and
 * /proc/PID/mem opens every time. Only calls that succeeded. Tail: path.
 */
struct edrkit_access_rec {
	struct edrkit_hdr h;
	__u32 op;
	__u32 request;
	__u32 target;
	__s32 ret;
	__u64 addr;
	struct edrkit_path path;
};

/* edrkit_bpf_rec.op: the bpf(2) command that succeeded. */
#define EDRKIT_BPF_PROG_LOAD 5
#define EDRKIT_BPF_PROG_ATTACH 8
#define EDRKIT_BPF_RAW_TP_OPEN 17
#define EDRKIT_BPF_LINK_CREATE 28
#define EDRKIT_BPF_TARGET 64 /* raw tracepoint name bytes kept */

/*
 * bpf(2) PROG_LOAD / PROG_ATTACH / RAW_TRACEPOINT_OPEN / LINK_CREATE after success. The
 * program's facts are read from the kernel's struct bpf_prog behind the program fd (the loaded
 * one, or the one attached), so they are what the kernel accepted. Tail: target[target_len]
 * (the raw tracepoint name of RAW_TRACEPOINT_OPEN, no NUL).
 */
struct edrkit_bpf_rec {
	struct edrkit_hdr h;
	__u32 op;
	__s32 ret;         /* the new fd (program or link), or 0 */
	__u32 prog_type;   /* enum bpf_prog_type */
	__u32 attach_type; /* enum bpf_attach_type: the attach's, or the program's expected one */
	__u32 insn_cnt;
	__u32 prog_id;
	__u8 tag[8];
	char name[16];     /* BPF_OBJ_NAME_LEN */
	__u16 target_len;  /* <= EDRKIT_BPF_TARGET - 1 */
	__u16 _pad0;
	__u32 _pad1;
};

/* ------------------------------------------------------------------ part B (issue 14b) */
/* Record types 16..23 and kind bits 23..30 belong to this block. */

/*
 * Close-after-write: a file opened for writing in a watched directory (edrkit_cw_dirs: the
 * directory inode numbers user space gives) was closed by its last descriptor, or its opener
 * exited while still holding it. User space re-reads that directory's files (accounts, cron,
 * systemd units) and computes what changed.
 */
#define EDRKIT_REC_CLOSE_WRITE 16
#define EDRKIT_K_CLOSE_WRITE (1u << 23)
/* Watched directories at most (inode numbers). */
#define EDRKIT_CW_DIRS 64

/* edrkit_cw_rec.reason */
#define EDRKIT_CW_CLOSE 1 /* close(2) of the last descriptor */
#define EDRKIT_CW_EXIT 2  /* the opener exited holding it */

/* edrkit_file_rec.op, part B: sent only for watched-directory derivation (no event of its own). */
#define EDRKIT_FILE_SYMLINK 16 /* symlink/symlinkat succeeded: path = the new link */
/*
 * Close-after-write of any regular file a monitored process opened for writing (issue 14c,
 * kind bit EDRKIT_K_CLOSE_WRITE_ALL, asked for only when the sensor hashes files written):
 * path = the file, ret = EDRKIT_CW_CLOSE or EDRKIT_CW_EXIT. User space sends it as
 * file.modify at close time, which the hashing stage hashes.
 */
#define EDRKIT_FILE_CLOSE_WRITE 17
#define EDRKIT_K_CLOSE_WRITE_ALL (1u << 26)

/* Tail: name[name_len] (the file's own name, no NUL). */
struct edrkit_cw_rec {
	struct edrkit_hdr h;
	__u64 dir_ino;  /* inode number of the watched directory */
	__u64 ino;      /* inode number of the file */
	__u32 reason;   /* EDRKIT_CW_* */
	__u16 name_len; /* <= EDRKIT_RAW_PATH - 1 */
	__u16 _pad;
};

/*
 * A line an interactive bash read with readline() (uretprobe on bash's exported readline):
 * script.content with interpreter "bash". Tail: line[len] (no NUL).
 */
#define EDRKIT_REC_SHELL_LINE 17
#define EDRKIT_K_SHELL_LINE (1u << 24)
/* Bytes of a line kept; longer lines set EDRKIT_LINE_TRUNC in hdr.flags. */
#define EDRKIT_LINE_MAX 2048
#define EDRKIT_LINE_TRUNC (1u << 0)

struct edrkit_line_rec {
	struct edrkit_hdr h;
	__u32 len; /* <= EDRKIT_LINE_MAX - 1 */
	__u32 _pad;
};

/*
 * A libpam call (uprobe at entry keeps the pam handle, uretprobe at return sends this):
 * pam_authenticate (failed logon when ret != 0), pam_open_session (logon), pam_close_session
 * (logoff). Strings are read from the pam handle at Linux-PAM's field offsets (probes-b.bpf.h).
 */
#define EDRKIT_REC_PAM 18
#define EDRKIT_K_PAM (1u << 25)
#define EDRKIT_PAM_AUTHENTICATE 1
#define EDRKIT_PAM_OPEN_SESSION 2
#define EDRKIT_PAM_CLOSE_SESSION 3

struct edrkit_pam_rec {
	struct edrkit_hdr h;
	__u32 op;         /* EDRKIT_PAM_* */
	__s32 ret;        /* the call's PAM return code (0 = PAM_SUCCESS) */
	char service[32]; /* NUL-terminated, cut to fit */
	char user[64];
	char tty[32];
	char rhost[64];
};

/* ------------------------------------------------------------------ part D (issue 14d) */
/* Record type 11 and kind bit 19 belong to this block. */

/*
 * The calling thread changed its own credentials: set*id, setgroups or capset succeeded and
 * what the kernel holds in current->cred differs from what it held at sys_enter (probes-d.bpf.h
 * says why a call that changed nothing is no record). The whole set before and after. No tail.
 */
#define EDRKIT_REC_CREDS 11
#define EDRKIT_K_CREDS (1u << 19)
/* Supplementary groups kept per credential set (the first ones; more set EDRKIT_CREDS_GROUPS_TRUNC). */
#define EDRKIT_CRED_GROUPS 16

/* edrkit_creds_rec.op: the syscall. */
#define EDRKIT_CREDS_SETUID 1
#define EDRKIT_CREDS_SETGID 2
#define EDRKIT_CREDS_SETREUID 3
#define EDRKIT_CREDS_SETREGID 4
#define EDRKIT_CREDS_SETRESUID 5
#define EDRKIT_CREDS_SETRESGID 6
#define EDRKIT_CREDS_SETFSUID 7
#define EDRKIT_CREDS_SETFSGID 8
#define EDRKIT_CREDS_SETGROUPS 9
#define EDRKIT_CREDS_CAPSET 10

/* edrkit_hdr.flags of CREDS records: a set had more than EDRKIT_CRED_GROUPS groups. */
#define EDRKIT_CREDS_GROUPS_TRUNC (1u << 0)

/* One moment of struct cred: ids (kuid/kgid values), capability masks, supplementary groups. 128 bytes. */
struct edrkit_cred_set {
	__u32 uid;
	__u32 euid;
	__u32 suid;
	__u32 fsuid;
	__u32 gid;
	__u32 egid;
	__u32 sgid;
	__u32 fsgid;
	__u64 cap_effective;
	__u64 cap_permitted;
	__u64 cap_inheritable;
	__u32 ngroups; /* group_info->ngroups (may exceed EDRKIT_CRED_GROUPS) */
	__u32 groups[EDRKIT_CRED_GROUPS];
	__u32 _pad;
};

struct edrkit_creds_rec {
	struct edrkit_hdr h;
	__u32 op;  /* EDRKIT_CREDS_* */
	__s32 ret; /* the syscall's return (setfsuid/setfsgid: the previous fsuid/fsgid) */
	struct edrkit_cred_set before;
	struct edrkit_cred_set after;
};

#endif /* EDRKIT_H */
