/*
 * libelf's error state, for linking libelf statically into the addon.
 *
 * Debian's libelf.a is built as position-independent code except for one thing: elf_error.o
 * keeps its thread-local `global_error` in the local-exec TLS model, which a shared object
 * (the addon) cannot use, so the link fails. This file defines the same three functions
 * with a `__thread` variable the compiler places in a model fit for a shared object; the
 * linker then never pulls elf_error.o out of libelf.a. The messages are libelf's own, read
 * from that elf_error.o at build time (scripts/build-native.mjs writes libelf_error_table.h),
 * so they match the linked libelf exactly. Messages are not translated (libelf would ask
 * gettext; the addon reports them in English like every other libbpf message).
 */
#include <stddef.h>

#include "libelf_error_table.h" /* msgstr, msgidx, LIBELF_NMSG */

#define ELF_E_UNKNOWN_ERROR 1 /* libelfP.h: the second code, after ELF_E_NOERROR */

static __thread int global_error;

int elf_errno(void)
{
	int result = global_error;
	global_error = 0;
	return result;
}

void __libelf_seterrno(int value)
{
	global_error = value >= 0 && value < LIBELF_NMSG ? value : ELF_E_UNKNOWN_ERROR;
}

const char *elf_errmsg(int error)
{
	int last_error = global_error;
	if (error == 0)
		return last_error != 0 ? msgstr + msgidx[last_error] : NULL;
	if (error < -1 || error >= LIBELF_NMSG)
		return msgstr + msgidx[ELF_E_UNKNOWN_ERROR];
	return msgstr + msgidx[error == -1 ? last_error : error];
}
