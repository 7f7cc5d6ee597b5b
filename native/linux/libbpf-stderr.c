/*
 * `stderr` for Debian's libbpf.a, for linking libbpf statically into the addon.
 *
 * Debian builds libbpf.a as PIE code, not PIC: its default print function reads glibc's
 * `stderr` with a PC-relative relocation, which in an executable becomes a copy relocation
 * but in a shared object (the addon) cannot be linked at all. This file gives the link a
 * hidden `stderr` of the addon's own, so that relocation resolves inside the addon, and points
 * it at the C library's stream before anything runs. Every other reference in libbpf.a is
 * position independent (a new one would fail the link the same way, not load wrongly).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>

#undef stderr
__attribute__((visibility("hidden"))) FILE *stderr;

__attribute__((constructor)) static void edrkit_bind_stderr(void)
{
	FILE **libc_stderr = dlsym(RTLD_NEXT, "stderr");
	stderr = libc_stderr ? *libc_stderr : fdopen(2, "w");
}
