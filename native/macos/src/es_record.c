/*
 * es_message_t → eslogger-schema JSON: the envelope (version, time, sequence numbers, thread,
 * process) and `event.<name>` from the family writers (es_events_fs.c, es_events_auth.c). Audit
 * tokens are written as the 8-word array (the form eslogger uses from message version 10).
 */
#include "es_json.h"

static const struct {
	es_event_type_t type;
	const char *name;
} NAMES[] = {
	{ES_EVENT_TYPE_NOTIFY_EXEC, "exec"},
	{ES_EVENT_TYPE_NOTIFY_OPEN, "open"},
	{ES_EVENT_TYPE_NOTIFY_FORK, "fork"},
	{ES_EVENT_TYPE_NOTIFY_CLOSE, "close"},
	{ES_EVENT_TYPE_NOTIFY_CREATE, "create"},
	{ES_EVENT_TYPE_NOTIFY_EXIT, "exit"},
	{ES_EVENT_TYPE_NOTIFY_GET_TASK, "get_task"},
	{ES_EVENT_TYPE_NOTIFY_KEXTLOAD, "kextload"},
	{ES_EVENT_TYPE_NOTIFY_LINK, "link"},
	{ES_EVENT_TYPE_NOTIFY_MMAP, "mmap"},
	{ES_EVENT_TYPE_NOTIFY_MOUNT, "mount"},
	{ES_EVENT_TYPE_NOTIFY_UNMOUNT, "unmount"},
	{ES_EVENT_TYPE_NOTIFY_RENAME, "rename"},
	{ES_EVENT_TYPE_NOTIFY_SETEXTATTR, "setextattr"},
	{ES_EVENT_TYPE_NOTIFY_SETFLAGS, "setflags"},
	{ES_EVENT_TYPE_NOTIFY_SETMODE, "setmode"},
	{ES_EVENT_TYPE_NOTIFY_SETOWNER, "setowner"},
	{ES_EVENT_TYPE_NOTIFY_UNLINK, "unlink"},
	{ES_EVENT_TYPE_NOTIFY_WRITE, "write"},
	{ES_EVENT_TYPE_NOTIFY_TRUNCATE, "truncate"},
	{ES_EVENT_TYPE_NOTIFY_DELETEEXTATTR, "deleteextattr"},
	{ES_EVENT_TYPE_NOTIFY_GET_TASK_NAME, "get_task_name"},
	{ES_EVENT_TYPE_NOTIFY_TRACE, "trace"},
	{ES_EVENT_TYPE_NOTIFY_REMOTE_THREAD_CREATE, "remote_thread_create"},
	{ES_EVENT_TYPE_NOTIFY_GET_TASK_READ, "get_task_read"},
	{ES_EVENT_TYPE_NOTIFY_GET_TASK_INSPECT, "get_task_inspect"},
	{ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOGIN, "lw_session_login"},
	{ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOGOUT, "lw_session_logout"},
	{ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOCK, "lw_session_lock"},
	{ES_EVENT_TYPE_NOTIFY_LW_SESSION_UNLOCK, "lw_session_unlock"},
	{ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGIN, "openssh_login"},
	{ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGOUT, "openssh_logout"},
	{ES_EVENT_TYPE_NOTIFY_LOGIN_LOGIN, "login_login"},
	{ES_EVENT_TYPE_NOTIFY_LOGIN_LOGOUT, "login_logout"},
	{ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_ADD, "btm_launch_item_add"},
	{ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_REMOVE, "btm_launch_item_remove"},
	{ES_EVENT_TYPE_NOTIFY_OD_CREATE_USER, "od_create_user"},
	{ES_EVENT_TYPE_NOTIFY_OD_DELETE_USER, "od_delete_user"},
	{ES_EVENT_TYPE_NOTIFY_AUTHENTICATION, "authentication"},
	{ES_EVENT_TYPE_NOTIFY_SCREENSHARING_ATTACH, "screensharing_attach"},
	{ES_EVENT_TYPE_NOTIFY_SCREENSHARING_DETACH, "screensharing_detach"},
	{ES_EVENT_TYPE_NOTIFY_SU, "su"},
	{ES_EVENT_TYPE_NOTIFY_SUDO, "sudo"},
	{ES_EVENT_TYPE_NOTIFY_OD_GROUP_ADD, "od_group_add"},
	{ES_EVENT_TYPE_NOTIFY_OD_GROUP_REMOVE, "od_group_remove"},
	{ES_EVENT_TYPE_NOTIFY_OD_MODIFY_PASSWORD, "od_modify_password"},
	{ES_EVENT_TYPE_NOTIFY_OD_DISABLE_USER, "od_disable_user"},
	{ES_EVENT_TYPE_NOTIFY_OD_ENABLE_USER, "od_enable_user"},
};

#define NAME_COUNT (sizeof NAMES / sizeof NAMES[0])

const es_event_type_t edr_es_converted_types[] = {
	ES_EVENT_TYPE_NOTIFY_EXEC, ES_EVENT_TYPE_NOTIFY_OPEN, ES_EVENT_TYPE_NOTIFY_FORK, ES_EVENT_TYPE_NOTIFY_CLOSE,
	ES_EVENT_TYPE_NOTIFY_CREATE, ES_EVENT_TYPE_NOTIFY_EXIT, ES_EVENT_TYPE_NOTIFY_GET_TASK, ES_EVENT_TYPE_NOTIFY_KEXTLOAD,
	ES_EVENT_TYPE_NOTIFY_LINK, ES_EVENT_TYPE_NOTIFY_MMAP, ES_EVENT_TYPE_NOTIFY_MOUNT, ES_EVENT_TYPE_NOTIFY_UNMOUNT,
	ES_EVENT_TYPE_NOTIFY_RENAME, ES_EVENT_TYPE_NOTIFY_SETEXTATTR, ES_EVENT_TYPE_NOTIFY_SETFLAGS, ES_EVENT_TYPE_NOTIFY_SETMODE,
	ES_EVENT_TYPE_NOTIFY_SETOWNER, ES_EVENT_TYPE_NOTIFY_UNLINK, ES_EVENT_TYPE_NOTIFY_WRITE, ES_EVENT_TYPE_NOTIFY_TRUNCATE,
	ES_EVENT_TYPE_NOTIFY_DELETEEXTATTR, ES_EVENT_TYPE_NOTIFY_GET_TASK_NAME, ES_EVENT_TYPE_NOTIFY_TRACE,
	ES_EVENT_TYPE_NOTIFY_REMOTE_THREAD_CREATE, ES_EVENT_TYPE_NOTIFY_GET_TASK_READ, ES_EVENT_TYPE_NOTIFY_GET_TASK_INSPECT,
	ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOGIN, ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOGOUT, ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOCK,
	ES_EVENT_TYPE_NOTIFY_LW_SESSION_UNLOCK, ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGIN, ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGOUT,
	ES_EVENT_TYPE_NOTIFY_LOGIN_LOGIN, ES_EVENT_TYPE_NOTIFY_LOGIN_LOGOUT, ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_ADD,
	ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_REMOVE, ES_EVENT_TYPE_NOTIFY_OD_CREATE_USER, ES_EVENT_TYPE_NOTIFY_OD_DELETE_USER,
	ES_EVENT_TYPE_NOTIFY_AUTHENTICATION, ES_EVENT_TYPE_NOTIFY_SCREENSHARING_ATTACH, ES_EVENT_TYPE_NOTIFY_SCREENSHARING_DETACH,
	ES_EVENT_TYPE_NOTIFY_SU, ES_EVENT_TYPE_NOTIFY_SUDO, ES_EVENT_TYPE_NOTIFY_OD_GROUP_ADD, ES_EVENT_TYPE_NOTIFY_OD_GROUP_REMOVE,
	ES_EVENT_TYPE_NOTIFY_OD_MODIFY_PASSWORD, ES_EVENT_TYPE_NOTIFY_OD_DISABLE_USER, ES_EVENT_TYPE_NOTIFY_OD_ENABLE_USER,
};
const size_t edr_es_converted_count = sizeof edr_es_converted_types / sizeof edr_es_converted_types[0];

const char *edr_es_event_name(es_event_type_t type) {
	for (size_t i = 0; i < NAME_COUNT; i++)
		if (NAMES[i].type == type) return NAMES[i].name;
	return NULL;
}

/* The body of `event.<name>`; returns 0 for a type edrkit does not convert. */
static int body(edr_buf_t *b, const es_message_t *m) {
	return edr_body_fs(b, m) || edr_body_auth(b, m);
}

int edr_es_record(edr_buf_t *out, const es_message_t *m) {
	const char *name = edr_es_event_name(m->event_type);
	if (!name) return 0;
	const size_t start = out->len;
	edr_buf_t *b = out;
	ej_lit(b, "{\"version\":");
	ej_u64(b, m->version);
	ej_lit(b, ",\"time\":");
	ej_iso_time(b, m->time.tv_sec, m->time.tv_nsec, 9);
	ej_lit(b, ",\"mach_time\":");
	ej_u64(b, m->mach_time);
	ej_lit(b, ",\"event_type\":");
	ej_u64(b, (uint64_t)m->event_type);
	ej_lit(b, ",\"action_type\":");
	ej_u64(b, (uint64_t)m->action_type);
	if (m->version >= 2) {
		ej_lit(b, ",\"seq_num\":");
		ej_u64(b, m->seq_num);
	}
	if (m->version >= 4) {
		ej_lit(b, ",\"global_seq_num\":");
		ej_u64(b, m->global_seq_num);
		ej_lit(b, ",\"thread\":");
		if (m->thread) {
			ej_lit(b, "{\"thread_id\":");
			ej_u64(b, m->thread->thread_id);
			ej_lit(b, "}");
		} else {
			ej_lit(b, "null");
		}
	}
	ej_lit(b, ",\"process\":");
	ej_process(b, m->process, m->version);
	ej_lit(b, ",\"event\":{");
	ej_str_c(b, name);
	ej_lit(b, ":");
	const int converted = body(b, m);
	ej_lit(b, "}}\n");
	if (!converted || b->failed) {
		/* Leave the buffer as it was: nothing of a half-written record stays. */
		out->len = start;
		if (b->failed) {
			b->failed = 0;
			return -1;
		}
		return 0;
	}
	return 1;
}
