/* Test-only shim of <mach/mach.h>: the declarations addon.c uses, for a syntax check on Linux. */
#pragma once
typedef unsigned int mach_port_t;
typedef int kern_return_t;
typedef unsigned int mach_msg_type_number_t;
typedef int *task_info_t;
#define KERN_SUCCESS 0
#define TASK_AUDIT_TOKEN 15
#define TASK_AUDIT_TOKEN_COUNT 8
mach_port_t mach_task_self(void);
kern_return_t task_info(mach_port_t task, int flavor, task_info_t info, mach_msg_type_number_t *count);
