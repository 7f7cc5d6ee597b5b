/* Test-only shim of <bsm/libbsm.h> (addon.c includes it for audit tokens). */
