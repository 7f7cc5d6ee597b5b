/*
 * Stub Endpoint Security headers for compiling edrkit's message conversion (src/es_record.c)
 * on Linux, in tests. Written for edrkit from the structures Apple documents in
 * EndpointSecurity/ESMessage.h and ESTypes.h (macOS 15 SDK): the types, fields and field
 * order es_record.c uses, nothing else. Enum values are given explicitly; they are Apple's
 * (the es_event_type_t enum only grows, so a value never changes meaning). Never used for the
 * real addon, which includes the SDK's <EndpointSecurity/EndpointSecurity.h>.
 */
#ifndef EDRKIT_ES_STUB_H
#define EDRKIT_ES_STUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>

#define EDRKIT_ES_STUB 1

/* <bsm/audit.h>: audit_token_t is 8 words; the fields' order is libbsm's audit_token_to_au32(). */
typedef struct {
	unsigned int val[8];
} audit_token_t;

/* <sys/mount.h> (64-bit inode variant), as far as es_record.c reads it. */
#ifndef MFSTYPENAMELEN
#define MFSTYPENAMELEN 16
#endif
#ifndef MAXPATHLEN
#define MAXPATHLEN 1024
#endif
struct statfs {
	uint32_t f_bsize;
	int32_t f_iosize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	struct { int32_t val[2]; } f_fsid;
	uid_t f_owner;
	uint32_t f_type;
	uint32_t f_flags;
	uint32_t f_fssubtype;
	char f_fstypename[MFSTYPENAMELEN];
	char f_mntonname[MAXPATHLEN];
	char f_mntfromname[MAXPATHLEN];
	uint32_t f_flags_ext;
	uint32_t f_reserved[7];
};

/* ESTypes.h */
typedef struct { uint8_t reserved[32]; } es_event_id_t;
typedef enum { ES_ACTION_TYPE_AUTH, ES_ACTION_TYPE_NOTIFY } es_action_type_t;
typedef enum { ES_SET, ES_CLEAR } es_set_or_clear_t;
typedef enum { ES_RESULT_TYPE_AUTH, ES_RESULT_TYPE_FLAGS } es_result_type_t;
typedef enum { ES_AUTH_RESULT_ALLOW, ES_AUTH_RESULT_DENY } es_auth_result_t;
typedef enum { ES_DESTINATION_TYPE_EXISTING_FILE, ES_DESTINATION_TYPE_NEW_PATH } es_destination_type_t;
typedef enum { ES_ADDRESS_TYPE_NONE, ES_ADDRESS_TYPE_IPV4, ES_ADDRESS_TYPE_IPV6, ES_ADDRESS_TYPE_NAMED_SOCKET } es_address_type_t;
typedef enum {
	ES_GET_TASK_TYPE_TASK_FOR_PID,
	ES_GET_TASK_TYPE_EXPOSE_TASK,
	ES_GET_TASK_TYPE_IDENTITY_TOKEN,
} es_get_task_type_t;
typedef enum {
	ES_BTM_ITEM_TYPE_USER_ITEM,
	ES_BTM_ITEM_TYPE_APP,
	ES_BTM_ITEM_TYPE_LOGIN_ITEM,
	ES_BTM_ITEM_TYPE_AGENT,
	ES_BTM_ITEM_TYPE_DAEMON,
} es_btm_item_type_t;
typedef enum {
	ES_OPENSSH_LOGIN_EXCEED_MAXTRIES,
	ES_OPENSSH_LOGIN_ROOT_DENIED,
	ES_OPENSSH_AUTH_SUCCESS,
	ES_OPENSSH_AUTH_FAIL_NONE,
	ES_OPENSSH_AUTH_FAIL_PASSWD,
	ES_OPENSSH_AUTH_FAIL_KBDINT,
	ES_OPENSSH_AUTH_FAIL_PUBKEY,
	ES_OPENSSH_AUTH_FAIL_HOSTBASED,
	ES_OPENSSH_AUTH_FAIL_GSSAPI,
	ES_OPENSSH_INVALID_USER,
} es_openssh_login_result_type_t;
typedef int es_cs_validation_category_t;
typedef uint8_t es_cdhash_t[20];

typedef enum {
	ES_EVENT_TYPE_NOTIFY_EXEC = 9,
	ES_EVENT_TYPE_NOTIFY_OPEN = 10,
	ES_EVENT_TYPE_NOTIFY_FORK = 11,
	ES_EVENT_TYPE_NOTIFY_CLOSE = 12,
	ES_EVENT_TYPE_NOTIFY_CREATE = 13,
	ES_EVENT_TYPE_NOTIFY_EXIT = 15,
	ES_EVENT_TYPE_NOTIFY_GET_TASK = 16,
	ES_EVENT_TYPE_NOTIFY_KEXTLOAD = 17,
	ES_EVENT_TYPE_NOTIFY_LINK = 19,
	ES_EVENT_TYPE_NOTIFY_MMAP = 20,
	ES_EVENT_TYPE_NOTIFY_MOUNT = 22,
	ES_EVENT_TYPE_NOTIFY_UNMOUNT = 23,
	ES_EVENT_TYPE_NOTIFY_RENAME = 25,
	ES_EVENT_TYPE_NOTIFY_SETEXTATTR = 27,
	ES_EVENT_TYPE_NOTIFY_SETFLAGS = 28,
	ES_EVENT_TYPE_NOTIFY_SETMODE = 29,
	ES_EVENT_TYPE_NOTIFY_SETOWNER = 30,
	ES_EVENT_TYPE_NOTIFY_SIGNAL = 31,
	ES_EVENT_TYPE_NOTIFY_UNLINK = 32,
	ES_EVENT_TYPE_NOTIFY_WRITE = 33,
	ES_EVENT_TYPE_NOTIFY_TRUNCATE = 41,
	ES_EVENT_TYPE_NOTIFY_DELETEEXTATTR = 70,
	ES_EVENT_TYPE_NOTIFY_GET_TASK_NAME = 95,
	ES_EVENT_TYPE_NOTIFY_TRACE = 96,
	ES_EVENT_TYPE_NOTIFY_REMOTE_THREAD_CREATE = 97,
	ES_EVENT_TYPE_NOTIFY_GET_TASK_READ = 101,
	ES_EVENT_TYPE_NOTIFY_GET_TASK_INSPECT = 102,
	ES_EVENT_TYPE_NOTIFY_AUTHENTICATION = 111,
	ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOGIN = 114,
	ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOGOUT = 115,
	ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOCK = 116,
	ES_EVENT_TYPE_NOTIFY_LW_SESSION_UNLOCK = 117,
	ES_EVENT_TYPE_NOTIFY_SCREENSHARING_ATTACH = 118,
	ES_EVENT_TYPE_NOTIFY_SCREENSHARING_DETACH = 119,
	ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGIN = 120,
	ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGOUT = 121,
	ES_EVENT_TYPE_NOTIFY_LOGIN_LOGIN = 122,
	ES_EVENT_TYPE_NOTIFY_LOGIN_LOGOUT = 123,
	ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_ADD = 124,
	ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_REMOVE = 125,
	ES_EVENT_TYPE_NOTIFY_SU = 128,
	ES_EVENT_TYPE_NOTIFY_SUDO = 131,
	ES_EVENT_TYPE_NOTIFY_OD_GROUP_ADD = 132,
	ES_EVENT_TYPE_NOTIFY_OD_GROUP_REMOVE = 133,
	ES_EVENT_TYPE_NOTIFY_OD_MODIFY_PASSWORD = 135,
	ES_EVENT_TYPE_NOTIFY_OD_DISABLE_USER = 136,
	ES_EVENT_TYPE_NOTIFY_OD_ENABLE_USER = 137,
	ES_EVENT_TYPE_NOTIFY_OD_CREATE_USER = 141,
	ES_EVENT_TYPE_NOTIFY_OD_DELETE_USER = 143,
	ES_EVENT_TYPE_LAST = 148,
} es_event_type_t;

typedef struct {
	size_t size;
	const uint8_t *data;
} es_token_t;

typedef struct {
	size_t length;
	const char *data;
} es_string_token_t;

/* ESMessage.h */
typedef struct {
	es_string_token_t path;
	bool path_truncated;
	struct stat stat;
} es_file_t;

typedef struct {
	uint64_t thread_id;
} es_thread_t;

typedef struct {
	audit_token_t audit_token;
	pid_t ppid;
	pid_t original_ppid;
	pid_t group_id;
	pid_t session_id;
	uint32_t codesigning_flags;
	bool is_platform_binary;
	bool is_es_client;
	es_cdhash_t cdhash;
	es_string_token_t signing_id;
	es_string_token_t team_id;
	es_file_t *executable;
	es_file_t *tty;                        /* version >= 2 */
	struct timeval start_time;             /* version >= 3 */
	audit_token_t responsible_audit_token; /* version >= 4 */
	audit_token_t parent_audit_token;      /* version >= 4 */
	es_cs_validation_category_t cs_validation_category; /* version >= 10 */
} es_process_t;

typedef struct {
	int flavor;
	es_token_t state;
} es_thread_state_t;

typedef struct {
	es_btm_item_type_t item_type;
	bool legacy;
	bool managed;
	uid_t uid;
	es_string_token_t item_url;
	es_string_token_t app_url;
} es_btm_launch_item_t;

typedef struct {
	es_process_t *target;
	es_string_token_t dyld_exec_path; /* version >= 7 */
	union {
		uint8_t reserved[64];
		struct {
			es_file_t *script; /* version >= 2 */
			es_file_t *cwd;    /* version >= 3 */
			int last_fd;       /* version >= 4 */
			int image_cputype;
			int image_cpusubtype;
		};
	};
} es_event_exec_t;

typedef struct { int32_t fflag; es_file_t *file; uint8_t reserved[64]; } es_event_open_t;
typedef struct { es_string_token_t identifier; uint8_t reserved[64]; } es_event_kextload_t;
typedef struct { es_file_t *target; es_file_t *parent_dir; uint8_t reserved[64]; } es_event_unlink_t;
typedef struct { int32_t protection; int32_t max_protection; int32_t flags; uint64_t file_pos; es_file_t *source; uint8_t reserved[64]; } es_event_mmap_t;
typedef struct { es_file_t *source; es_file_t *target_dir; es_string_token_t target_filename; uint8_t reserved[64]; } es_event_link_t;
typedef struct { struct statfs *statfs; int disposition; uint8_t reserved[60]; } es_event_mount_t;
typedef struct { struct statfs *statfs; uint8_t reserved[64]; } es_event_unmount_t;
typedef struct { es_process_t *child; uint8_t reserved[64]; } es_event_fork_t;
typedef struct {
	es_file_t *source;
	es_destination_type_t destination_type;
	union {
		es_file_t *existing_file;
		struct {
			es_file_t *dir;
			es_string_token_t filename;
		} new_path;
	} destination;
	uint8_t reserved[64];
} es_event_rename_t;
typedef struct { es_file_t *target; es_string_token_t extattr; uint8_t reserved[64]; } es_event_setextattr_t;
typedef struct { es_file_t *target; es_string_token_t extattr; uint8_t reserved[64]; } es_event_deleteextattr_t;
typedef struct { mode_t mode; es_file_t *target; uint8_t reserved[64]; } es_event_setmode_t;
typedef struct { uint32_t flags; es_file_t *target; uint8_t reserved[64]; } es_event_setflags_t;
typedef struct { uid_t uid; gid_t gid; es_file_t *target; uint8_t reserved[64]; } es_event_setowner_t;
typedef struct {
	bool modified;
	es_file_t *target;
	union {
		uint8_t reserved[64];
		struct {
			bool was_mapped_writable; /* version >= 6 */
		};
	};
} es_event_close_t;
typedef struct {
	es_destination_type_t destination_type;
	union {
		es_file_t *existing_file;
		struct {
			es_file_t *dir;
			es_string_token_t filename;
			mode_t mode;
		} new_path;
	} destination;
	uint8_t reserved2[16];
	union {
		uint8_t reserved[48];
		struct {
			void *acl; /* acl_t, version >= 2 */
		};
	};
} es_event_create_t;
typedef struct { int stat; uint8_t reserved[64]; } es_event_exit_t;
typedef struct { es_file_t *target; uint8_t reserved[64]; } es_event_write_t;
typedef struct { es_file_t *target; uint8_t reserved[64]; } es_event_truncate_t;
typedef struct { es_process_t *target; es_get_task_type_t type; uint8_t reserved[60]; } es_event_get_task_t;
typedef es_event_get_task_t es_event_get_task_read_t;
typedef es_event_get_task_t es_event_get_task_inspect_t;
typedef es_event_get_task_t es_event_get_task_name_t;
typedef struct { es_process_t *target; uint8_t reserved[64]; } es_event_trace_t;
typedef struct { es_process_t *target; es_thread_state_t *thread_state; uint8_t reserved[64]; } es_event_remote_thread_create_t;

typedef uint32_t es_graphical_session_id_t;
typedef struct { es_string_token_t username; es_graphical_session_id_t graphical_session_id; } es_event_lw_session_login_t;
typedef es_event_lw_session_login_t es_event_lw_session_logout_t;
typedef es_event_lw_session_login_t es_event_lw_session_lock_t;
typedef es_event_lw_session_login_t es_event_lw_session_unlock_t;
typedef struct {
	bool success;
	es_openssh_login_result_type_t result_type;
	es_address_type_t source_address_type;
	es_string_token_t source_address;
	es_string_token_t username;
	bool has_uid;
	union { uid_t uid; } uid;
} es_event_openssh_login_t;
typedef struct { es_address_type_t source_address_type; es_string_token_t source_address; es_string_token_t username; uid_t uid; } es_event_openssh_logout_t;
typedef struct { bool success; es_string_token_t failure_message; es_string_token_t username; bool has_uid; union { uid_t uid; } uid; } es_event_login_login_t;
typedef struct { es_string_token_t username; uid_t uid; } es_event_login_logout_t;
typedef struct {
	es_process_t *instigator;
	es_process_t *app;
	es_btm_launch_item_t *item;
	es_string_token_t executable_path;
	audit_token_t *instigator_token; /* version >= 8 */
	audit_token_t *app_token;        /* version >= 8 */
} es_event_btm_launch_item_add_t;
typedef struct {
	es_process_t *instigator;
	es_process_t *app;
	es_btm_launch_item_t *item;
	audit_token_t *instigator_token;
	audit_token_t *app_token;
} es_event_btm_launch_item_remove_t;
typedef struct {
	es_process_t *instigator;
	int error_code;
	es_string_token_t user_name;
	es_string_token_t node_name;
	es_string_token_t db_path;
	audit_token_t instigator_token; /* version >= 8 */
} es_event_od_create_user_t;
typedef es_event_od_create_user_t es_event_od_delete_user_t;
typedef es_event_od_create_user_t es_event_od_disable_user_t;
typedef es_event_od_create_user_t es_event_od_enable_user_t;

typedef enum { ES_OD_ACCOUNT_TYPE_USER, ES_OD_ACCOUNT_TYPE_COMPUTER } es_od_account_type_t;
typedef struct {
	es_process_t *instigator;
	int error_code;
	es_od_account_type_t account_type;
	es_string_token_t account_name;
	es_string_token_t node_name;
	es_string_token_t db_path;
	audit_token_t instigator_token;
} es_event_od_modify_password_t;

#ifndef _UUID_T /* macOS's <sys/_types/_uuid_t.h> guard */
#define _UUID_T
typedef unsigned char uuid_t[16];
#endif
typedef enum { ES_OD_MEMBER_TYPE_USER_NAME, ES_OD_MEMBER_TYPE_USER_UUID, ES_OD_MEMBER_TYPE_GROUP_UUID } es_od_member_type_t;
typedef struct {
	es_od_member_type_t member_type;
	union {
		uuid_t uuid;
		es_string_token_t name;
	} member_value;
} es_od_member_id_t;
typedef struct {
	es_process_t *instigator;
	int error_code;
	es_string_token_t group_name;
	es_od_member_id_t *member;
	es_string_token_t node_name;
	es_string_token_t db_path;
	audit_token_t instigator_token;
} es_event_od_group_add_t;
typedef es_event_od_group_add_t es_event_od_group_remove_t;

typedef struct {
	bool success;
	es_address_type_t source_address_type;
	es_string_token_t source_address;
	es_string_token_t viewer_appleid;
	es_string_token_t authentication_type;
	es_string_token_t authentication_username;
	es_string_token_t session_username;
	bool existing_session;
	es_graphical_session_id_t graphical_session_id;
} es_event_screensharing_attach_t;
typedef struct {
	es_address_type_t source_address_type;
	es_string_token_t source_address;
	es_string_token_t viewer_appleid;
	es_graphical_session_id_t graphical_session_id;
} es_event_screensharing_detach_t;

typedef struct {
	bool success;
	es_string_token_t failure_message;
	uid_t from_uid;
	es_string_token_t from_username;
	bool has_to_uid;
	union { uid_t uid; } to_uid;
	es_string_token_t to_username;
	es_string_token_t shell;
	size_t argc;
	es_string_token_t *argv;
	size_t env_count;
	es_string_token_t *env;
} es_event_su_t;
typedef enum { ES_SUDO_PLUGIN_TYPE_UNKNOWN, ES_SUDO_PLUGIN_TYPE_FRONT_END, ES_SUDO_PLUGIN_TYPE_POLICY, ES_SUDO_PLUGIN_TYPE_IO, ES_SUDO_PLUGIN_TYPE_AUDIT, ES_SUDO_PLUGIN_TYPE_APPROVAL } es_sudo_plugin_type_t;
typedef struct {
	es_string_token_t plugin_name;
	es_sudo_plugin_type_t plugin_type;
	es_string_token_t failure_message;
} es_sudo_reject_info_t;
typedef struct {
	bool success;
	es_sudo_reject_info_t *reject_info;
	bool has_from_uid;
	union { uid_t uid; } from_uid;
	es_string_token_t from_username;
	bool has_to_uid;
	union { uid_t uid; } to_uid;
	es_string_token_t to_username;
	es_string_token_t command;
} es_event_sudo_t;

typedef enum { ES_AUTHENTICATION_TYPE_OD, ES_AUTHENTICATION_TYPE_TOUCHID, ES_AUTHENTICATION_TYPE_TOKEN, ES_AUTHENTICATION_TYPE_AUTO_UNLOCK, ES_AUTHENTICATION_TYPE_LAST } es_authentication_type_t;
typedef enum { ES_TOUCHID_MODE_VERIFICATION, ES_TOUCHID_MODE_IDENTIFICATION } es_touchid_mode_t;
typedef enum { ES_AUTO_UNLOCK_MACHINE_UNLOCK = 1, ES_AUTO_UNLOCK_AUTH_PROMPT } es_auto_unlock_type_t;
typedef struct {
	es_process_t *instigator;
	es_string_token_t record_type;
	es_string_token_t record_name;
	es_string_token_t node_name;
	es_string_token_t db_path;
	audit_token_t instigator_token;
} es_event_authentication_od_t;
typedef struct {
	es_process_t *instigator;
	es_touchid_mode_t touchid_mode;
	bool has_uid;
	union { uid_t uid; } uid;
	audit_token_t instigator_token;
} es_event_authentication_touchid_t;
typedef struct {
	es_process_t *instigator;
	es_string_token_t pubkey_hash;
	es_string_token_t token_id;
	es_string_token_t kerberos_principal;
	audit_token_t instigator_token;
} es_event_authentication_token_t;
typedef struct {
	es_string_token_t username;
	es_auto_unlock_type_t type;
} es_event_authentication_auto_unlock_t;
typedef struct {
	bool success;
	es_authentication_type_t type;
	union {
		es_event_authentication_od_t *od;
		es_event_authentication_touchid_t *touchid;
		es_event_authentication_token_t *token;
		es_event_authentication_auto_unlock_t *auto_unlock;
	} data;
} es_event_authentication_t;

typedef union {
	es_event_close_t close;
	es_event_create_t create;
	es_event_deleteextattr_t deleteextattr;
	es_event_exec_t exec;
	es_event_exit_t exit;
	es_event_fork_t fork;
	es_event_get_task_t get_task;
	es_event_get_task_read_t get_task_read;
	es_event_get_task_inspect_t get_task_inspect;
	es_event_get_task_name_t get_task_name;
	es_event_kextload_t kextload;
	es_event_link_t link;
	es_event_mmap_t mmap;
	es_event_mount_t mount;
	es_event_open_t open;
	es_event_remote_thread_create_t remote_thread_create;
	es_event_rename_t rename;
	es_event_setextattr_t setextattr;
	es_event_setflags_t setflags;
	es_event_setmode_t setmode;
	es_event_setowner_t setowner;
	es_event_trace_t trace;
	es_event_truncate_t truncate;
	es_event_unlink_t unlink;
	es_event_unmount_t unmount;
	es_event_write_t write;
	es_event_lw_session_login_t *lw_session_login;
	es_event_lw_session_logout_t *lw_session_logout;
	es_event_lw_session_lock_t *lw_session_lock;
	es_event_lw_session_unlock_t *lw_session_unlock;
	es_event_openssh_login_t *openssh_login;
	es_event_openssh_logout_t *openssh_logout;
	es_event_login_login_t *login_login;
	es_event_login_logout_t *login_logout;
	es_event_btm_launch_item_add_t *btm_launch_item_add;
	es_event_btm_launch_item_remove_t *btm_launch_item_remove;
	es_event_od_create_user_t *od_create_user;
	es_event_od_delete_user_t *od_delete_user;
	es_event_od_disable_user_t *od_disable_user;
	es_event_od_enable_user_t *od_enable_user;
	es_event_od_modify_password_t *od_modify_password;
	es_event_od_group_add_t *od_group_add;
	es_event_od_group_remove_t *od_group_remove;
	es_event_screensharing_attach_t *screensharing_attach;
	es_event_screensharing_detach_t *screensharing_detach;
	es_event_su_t *su;
	es_event_sudo_t *sudo;
	es_event_authentication_t *authentication;
} es_events_t;

typedef struct {
	es_result_type_t result_type;
	union {
		es_auth_result_t auth;
		uint32_t flags;
		uint8_t reserved[32];
	} result;
} es_result_t;

typedef struct {
	uint32_t version;
	struct timespec time;
	uint64_t mach_time;
	uint64_t deadline;
	es_process_t *process;
	uint64_t seq_num; /* version >= 2 */
	es_action_type_t action_type;
	union {
		es_event_id_t auth;
		es_result_t notify;
	} action;
	es_event_type_t event_type;
	es_events_t event;
	es_thread_t *thread;     /* version >= 4 */
	uint64_t global_seq_num; /* version >= 4 */
	uint64_t opaque[];
} es_message_t;

/* ESMessage.h accessors of exec's packed arguments (libEndpointSecurity; the test driver provides them). */
uint32_t es_exec_arg_count(const es_event_exec_t *event);
es_string_token_t es_exec_arg(const es_event_exec_t *event, uint32_t index);

/* ESClient.h, for type-checking addon.c on Linux (clang -fblocks -fsyntax-only); never linked. */
typedef struct es_client_s es_client_t;
typedef enum { ES_RETURN_SUCCESS, ES_RETURN_ERROR } es_return_t;
typedef enum {
	ES_NEW_CLIENT_RESULT_SUCCESS,
	ES_NEW_CLIENT_RESULT_ERR_INVALID_ARGUMENT,
	ES_NEW_CLIENT_RESULT_ERR_INTERNAL,
	ES_NEW_CLIENT_RESULT_ERR_NOT_ENTITLED,
	ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED,
	ES_NEW_CLIENT_RESULT_ERR_NOT_PRIVILEGED,
	ES_NEW_CLIENT_RESULT_ERR_TOO_MANY_CLIENTS,
} es_new_client_result_t;
#if defined(__BLOCKS__)
typedef void (^es_handler_block_t)(es_client_t *, const es_message_t *);
es_new_client_result_t es_new_client(es_client_t **client, es_handler_block_t handler);
#endif
es_return_t es_subscribe(es_client_t *client, const es_event_type_t *events, uint32_t event_count);
es_return_t es_unsubscribe_all(es_client_t *client);
es_return_t es_delete_client(es_client_t *client);
es_return_t es_mute_process(es_client_t *client, const audit_token_t *audit_token);

#endif
