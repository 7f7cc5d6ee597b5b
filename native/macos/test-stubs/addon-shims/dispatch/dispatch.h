/* Test-only shim of <dispatch/dispatch.h>. */
