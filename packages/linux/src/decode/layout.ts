/**
 * The record contract of native/linux/edrkit.h, mirrored for the DataView decoder. Keys are
 * `struct.field` (offset) or `struct` (sizeof), exactly as the addon's `layout()` exports them
 * and as `header-drift.test.ts` computes them from the header, so any drift fails a test.
 *
 * @module
 */

/** Version of the record layout; records with another `abi` are rejected. */
export const ABI_VERSION = 3;

/**
 * Offsets and sizes, in bytes, of every struct the decoder reads. A struct's size is the
 * size of its fixed part; the record's variable-length tail follows it (see edrkit.h).
 */
export const LAYOUT = {
  edrkit_config: 24,
  'edrkit_config.kinds': 0,
  'edrkit_config.filter_flags': 4,
  'edrkit_config.self_tgid': 8,
  'edrkit_config.coalesce_ms': 16,
  edrkit_hdr: 72,
  'edrkit_hdr.type': 0,
  'edrkit_hdr.abi': 2,
  'edrkit_hdr.size': 4,
  'edrkit_hdr.ts_ns': 8,
  'edrkit_hdr.start_ns': 16,
  'edrkit_hdr.cgroup_id': 24,
  'edrkit_hdr.pid': 32,
  'edrkit_hdr.tid': 36,
  'edrkit_hdr.ppid': 40,
  'edrkit_hdr.uid': 44,
  'edrkit_hdr.gid': 48,
  'edrkit_hdr.flags': 52,
  'edrkit_hdr.comm': 56,
  edrkit_path: 8,
  'edrkit_path.flags': 0,
  'edrkit_path.depth': 2,
  'edrkit_path.raw_len': 4,
  'edrkit_path.dentry_len': 6,
  edrkit_exec_rec: 96,
  'edrkit_exec_rec.exe': 72,
  'edrkit_exec_rec.cwd': 80,
  'edrkit_exec_rec.cgroup_len': 88,
  'edrkit_exec_rec.args_len': 90,
  edrkit_fork_rec: 88,
  'edrkit_fork_rec.child_pid': 72,
  'edrkit_fork_rec.child_start_ns': 80,
  edrkit_exit_rec: 80,
  'edrkit_exit_rec.exit_code': 72,
  edrkit_file_rec: 120,
  'edrkit_file_rec.op': 72,
  'edrkit_file_rec.ret': 76,
  'edrkit_file_rec.open_flags': 80,
  'edrkit_file_rec.fmode': 84,
  'edrkit_file_rec.mode': 88,
  'edrkit_file_rec.owner_uid': 92,
  'edrkit_file_rec.owner_gid': 96,
  'edrkit_file_rec.repeat': 100,
  'edrkit_file_rec.path': 104,
  'edrkit_file_rec.path2': 112,
  edrkit_net_rec: 120,
  'edrkit_net_rec.op': 72,
  'edrkit_net_rec.ret': 76,
  'edrkit_net_rec.family': 80,
  'edrkit_net_rec.protocol': 82,
  'edrkit_net_rec.lport': 84,
  'edrkit_net_rec.rport': 86,
  'edrkit_net_rec.laddr': 88,
  'edrkit_net_rec.raddr': 104,
  edrkit_dns_rec: 96,
  'edrkit_dns_rec.family': 72,
  'edrkit_dns_rec.rport': 74,
  'edrkit_dns_rec.len': 76,
  'edrkit_dns_rec.raddr': 80,
  edrkit_kmod_rec: 80,
  'edrkit_kmod_rec.path': 72,
  edrkit_image_rec: 88,
  'edrkit_image_rec.prot': 72,
  'edrkit_image_rec.flags': 76,
  'edrkit_image_rec.path': 80,
  // part A (issue 14a)
  edrkit_access_rec: 104,
  'edrkit_access_rec.op': 72,
  'edrkit_access_rec.request': 76,
  'edrkit_access_rec.target': 80,
  'edrkit_access_rec.ret': 84,
  'edrkit_access_rec.addr': 88,
  'edrkit_access_rec.path': 96,
  edrkit_bpf_rec: 128,
  'edrkit_bpf_rec.op': 72,
  'edrkit_bpf_rec.ret': 76,
  'edrkit_bpf_rec.prog_type': 80,
  'edrkit_bpf_rec.attach_type': 84,
  'edrkit_bpf_rec.insn_cnt': 88,
  'edrkit_bpf_rec.prog_id': 92,
  'edrkit_bpf_rec.tag': 96,
  'edrkit_bpf_rec.name': 104,
  'edrkit_bpf_rec.target_len': 120,
  // part B (issue 14b)
  edrkit_cw_rec: 96,
  'edrkit_cw_rec.dir_ino': 72,
  'edrkit_cw_rec.ino': 80,
  'edrkit_cw_rec.reason': 88,
  'edrkit_cw_rec.name_len': 92,
  edrkit_line_rec: 80,
  'edrkit_line_rec.len': 72,
  edrkit_pam_rec: 272,
  'edrkit_pam_rec.op': 72,
  'edrkit_pam_rec.ret': 76,
  'edrkit_pam_rec.service': 80,
  'edrkit_pam_rec.user': 112,
  'edrkit_pam_rec.tty': 176,
  'edrkit_pam_rec.rhost': 208,
  // part D (issue 14d)
  edrkit_cred_set: 128,
  'edrkit_cred_set.uid': 0,
  'edrkit_cred_set.euid': 4,
  'edrkit_cred_set.suid': 8,
  'edrkit_cred_set.fsuid': 12,
  'edrkit_cred_set.gid': 16,
  'edrkit_cred_set.egid': 20,
  'edrkit_cred_set.sgid': 24,
  'edrkit_cred_set.fsgid': 28,
  'edrkit_cred_set.cap_effective': 32,
  'edrkit_cred_set.cap_permitted': 40,
  'edrkit_cred_set.cap_inheritable': 48,
  'edrkit_cred_set.ngroups': 56,
  'edrkit_cred_set.groups': 60,
  edrkit_creds_rec: 336,
  'edrkit_creds_rec.op': 72,
  'edrkit_creds_rec.ret': 76,
  'edrkit_creds_rec.before': 80,
  'edrkit_creds_rec.after': 208,
} as const;

/** Array and string capacities (the `#define`s of edrkit.h). */
export const CAPS = {
  EDRKIT_COMM_LEN: 16,
  EDRKIT_DENTRY_BUF: 512,
  EDRKIT_RAW_PATH: 256,
  EDRKIT_ARGS_MAX: 4096,
  EDRKIT_CGROUP_NAME: 128,
  EDRKIT_DNS_PAYLOAD: 256,
  EDRKIT_EXE_PREFIXES: 8,
  EDRKIT_EXE_PREFIX_LEN: 256,
  EDRKIT_BPF_TARGET: 64,
  EDRKIT_LINE_MAX: 2048,
  EDRKIT_CRED_GROUPS: 16,
} as const;

/** Record types (`edrkit_hdr.type`). */
export const REC = { EXEC: 1, FORK: 2, EXIT: 3, FILE: 4, NET: 5, DNS: 6, KMOD: 7, IMAGE: 8, ACCESS: 9, BPF: 10, CREDS: 11, CLOSE_WRITE: 16, SHELL_LINE: 17, PAM: 18 } as const;

/** `edrkit_path.flags`. */
export const PATH_FLAG = { HAS_DENTRY: 1, HAS_RAW: 2, TRUNC: 4, RAW_TRUNC: 8 } as const;

/** `edrkit_hdr.flags` of exec records. */
export const EXEC_FLAG = { ARGS_TRUNC: 1, FILELESS: 2 } as const;

/** `edrkit_hdr.flags` of file records. */
export const FILE_FLAG = { BLOCKDEV: 1 } as const;

/** `edrkit_access_rec.op`. */
export const ACCESS_OP = { PTRACE: 1, VM_READ: 2, VM_WRITE: 3, PROC_MEM: 4 } as const;

/** `edrkit_bpf_rec.op`: the bpf(2) command. */
export const BPF_OP = { PROG_LOAD: 5, PROG_ATTACH: 8, RAW_TP_OPEN: 17, LINK_CREATE: 28 } as const;

/** `edrkit_file_rec.op`. */
export const FILE_OP = { OPEN: 1, UNLINK: 2, RMDIR: 3, RENAME: 4, CHMOD: 5, CHOWN: 6, TRUNCATE: 7, MKDIR: 8, MEMFD: 9, SYMLINK: 16, CLOSE_WRITE: 17 } as const;

/** `edrkit_net_rec.op`. */
export const NET_OP = { CONNECT: 1, ACCEPT: 2, LISTEN: 3, BIND: 4 } as const;

/** Kind bits of `edrkit_config.kinds`. */
export const KIND_BIT = {
  'process.exec': 1 << 0,
  'process.fork': 1 << 1,
  'process.exit': 1 << 2,
  'file.create': 1 << 3,
  'file.open': 1 << 4,
  'file.modify': 1 << 5,
  'file.delete': 1 << 6,
  'file.rename': 1 << 7,
  'file.attr': 1 << 8,
  'net.connect': 1 << 9,
  'net.accept': 1 << 10,
  'net.listen': 1 << 11,
  'dns.query': 1 << 12,
  'kmod.load': 1 << 13,
  'image.load': 1 << 14,
  'process.access': 1 << 15,
  'process.tamper': 1 << 16,
  'bpf.load': 1 << 17,
  'process.credentials': 1 << 19,
} as const;

/** Block-device opens for reading, sent even when `file.open` is off (raw access reads). */
export const RAW_READ_BIT = 1 << 18;

/** Part B kernel signals that are not kinds of their own (`edrkit_config.kinds` bits 23..30). */
export const SIGNAL_BIT = {
  /** Close-after-write of files in watched directories (EDRKIT_K_CLOSE_WRITE). */
  CLOSE_WRITE: 1 << 23,
  /** Lines interactive bash read with readline() (EDRKIT_K_SHELL_LINE). */
  SHELL_LINE: 1 << 24,
  /** libpam calls: authenticate, open/close session (EDRKIT_K_PAM). */
  PAM: 1 << 25,
  /** Close-after-write of every regular file opened for writing, as file records (EDRKIT_K_CLOSE_WRITE_ALL; asked for when the sensor hashes). */
  CLOSE_WRITE_ALL: 1 << 26,
} as const;

/** `edrkit_creds_rec.op`: the syscall, by the operation name of the event model. */
export const CREDS_OP = {
  setuid: 1,
  setgid: 2,
  setreuid: 3,
  setregid: 4,
  setresuid: 5,
  setresgid: 6,
  setfsuid: 7,
  setfsgid: 8,
  setgroups: 9,
  capset: 10,
} as const;

/** `edrkit_hdr.flags` of creds records. */
export const CREDS_FLAG = { GROUPS_TRUNC: 1 } as const;

/** `edrkit_pam_rec.op`. */
export const PAM_OP = { AUTHENTICATE: 1, OPEN_SESSION: 2, CLOSE_SESSION: 3 } as const;

/** `edrkit_cw_rec.reason`. */
export const CW_REASON = { CLOSE: 1, EXIT: 2 } as const;

/** Filter switches of `edrkit_config.filter_flags`. */
export const FILTER_FLAG = { PID_INCLUDE: 1, PID_EXCLUDE: 2, UID_INCLUDE: 4, UID_EXCLUDE: 8, NAME_INCLUDE: 16, EXE_PREFIX: 32 } as const;

/** `FMODE_CREATED` (include/linux/fs.h): the open created the file. */
export const FMODE_CREATED = 0x100000;
