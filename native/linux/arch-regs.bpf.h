/* SPDX-License-Identifier: GPL-2.0 OR Apache-2.0 */
/*
 * arch-regs.bpf.h: the register layout bpf_tracing.h's PT_REGS_* macros (and so BPF_KPROBE /
 * BPF_KRETPROBE, which the libpam and bash uprobes use) read on arm64, for an arm64 object
 * compiled against a vmlinux.h that does not have it.
 *
 * Why this is needed: vmlinux.h comes from the BTF of the build host's kernel. On an x86-64
 * host cross-building the arm64 object (scripts/build-native.mjs --target linux-arm64-gnu)
 * that BTF has x86's struct pt_regs and no struct user_pt_regs, which bpf_tracing.h casts the
 * context to when __TARGET_ARCH_arm64 is defined (arm64 exports user_pt_regs, not pt_regs, to
 * user space). build-native.mjs defines EDRKIT_DEFINE_USER_PT_REGS for an arm64 object exactly
 * when its vmlinux.h lacks the struct (a native arm64 build gets it from its own BTF, and a
 * second definition would not compile).
 *
 * Why a fixed definition and not the CO-RE readers (PT_REGS_PARM1_CORE, BPF_UPROBE's CO-RE
 * form): this struct is arm64's user-space ABI (arch/arm64/include/uapi/asm/ptrace.h,
 * unchanged since arm64 Linux 3.7), and the kernel's struct pt_regs starts with it (a union of
 * user_regs and the same regs[31]/sp/pc/pstate fields), so the offsets are the same on every
 * arm64 kernel. The plain macros compile to direct loads from the context, which the verifier
 * checks against the kernel's pt_regs size; the CO-RE readers would add a bpf_probe_read_kernel
 * per argument and still need this definition (with preserve_access_index) to compile.
 */
#pragma once

#if defined(__TARGET_ARCH_arm64) && defined(EDRKIT_DEFINE_USER_PT_REGS)
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
#endif
