/*
 * es_message_t → eslogger-schema JSON. Field names are eslogger's (which are ESMessage.h's);
 * fields only present from some message version on are written only when the message has
 * them, as eslogger does. Audit tokens are written as the 8-word array (the form eslogger
 * uses from message version 10). Strings are es_string_token_t (length-delimited, not
 * NUL-terminated) and are JSON-escaped byte by byte.
 */
#include "es_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void edr_buf_free(edr_buf_t *b) {
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static int reserve(edr_buf_t *b, size_t more) {
	if (b->failed) return 0;
	if (b->len + more <= b->cap) return 1;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more) cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return 0;
	}
	b->data = p;
	b->cap = cap;
	return 1;
}

static void put(edr_buf_t *b, const char *s, size_t n) {
	if (!reserve(b, n)) return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

static void lit(edr_buf_t *b, const char *s) { put(b, s, strlen(s)); }

static void u64(edr_buf_t *b, uint64_t v) {
	char tmp[24];
	int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
	put(b, tmp, (size_t)n);
}

static void i64(edr_buf_t *b, int64_t v) {
	char tmp[24];
	int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	put(b, tmp, (size_t)n);
}

static void str_n(edr_buf_t *b, const char *s, size_t n) {
	static const char hex[] = "0123456789abcdef";
	lit(b, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			put(b, e, 2);
		} else if (c < 0x20) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
			put(b, e, 6);
		} else {
			put(b, (const char *)&c, 1);
		}
	}
	lit(b, "\"");
}

static void str_c(edr_buf_t *b, const char *s) { str_n(b, s, strlen(s)); }

/* A string token, or null when it is empty (ES's "not available"). */
static void token(edr_buf_t *b, es_string_token_t t) {
	if (t.length == 0 || t.data == NULL) lit(b, "null");
	else str_n(b, t.data, t.length);
}

static void key(edr_buf_t *b, const char *k) {
	str_c(b, k);
	lit(b, ":");
}

static void boolean(edr_buf_t *b, bool v) { lit(b, v ? "true" : "false"); }

/* RFC 3339 UTC with `digits` fraction digits (9 for timespec, 6 for timeval). */
static void iso_time(edr_buf_t *b, time_t sec, long frac, int digits) {
	struct tm tm;
	char tmp[64];
	if (!gmtime_r(&sec, &tm)) {
		lit(b, "null");
		return;
	}
	size_t n = strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(tmp + n, sizeof tmp - n, ".%0*ldZ", digits, frac);
	lit(b, "\"");
	put(b, tmp, n);
	lit(b, "\"");
}

static void audit_token(edr_buf_t *b, const audit_token_t *t) {
	lit(b, "[");
	for (int i = 0; i < 8; i++) {
		if (i) lit(b, ",");
		u64(b, t->val[i]);
	}
	lit(b, "]");
}

static void file(edr_buf_t *b, const es_file_t *f) {
	if (!f) {
		lit(b, "null");
		return;
	}
	lit(b, "{");
	key(b, "path");
	str_n(b, f->path.data ? f->path.data : "", f->path.data ? f->path.length : 0);
	lit(b, ",");
	key(b, "path_truncated");
	boolean(b, f->path_truncated);
	lit(b, ",\"stat\":{");
	key(b, "st_mode");
	u64(b, (uint64_t)f->stat.st_mode);
	lit(b, ",");
	key(b, "st_uid");
	u64(b, (uint64_t)f->stat.st_uid);
	lit(b, ",");
	key(b, "st_gid");
	u64(b, (uint64_t)f->stat.st_gid);
	lit(b, ",");
	key(b, "st_size");
	i64(b, (int64_t)f->stat.st_size);
	lit(b, ",");
	key(b, "st_ino");
	u64(b, (uint64_t)f->stat.st_ino);
	lit(b, ",");
	key(b, "st_dev");
	u64(b, (uint64_t)f->stat.st_dev);
	lit(b, "}}");
}

static void process(edr_buf_t *b, const es_process_t *p, uint32_t version) {
	static const char hex[] = "0123456789ABCDEF";
	if (!p) {
		lit(b, "null");
		return;
	}
	lit(b, "{");
	key(b, "audit_token");
	audit_token(b, &p->audit_token);
	lit(b, ",");
	key(b, "ppid");
	i64(b, p->ppid);
	lit(b, ",");
	key(b, "original_ppid");
	i64(b, p->original_ppid);
	lit(b, ",");
	key(b, "group_id");
	i64(b, p->group_id);
	lit(b, ",");
	key(b, "session_id");
	i64(b, p->session_id);
	lit(b, ",");
	key(b, "codesigning_flags");
	u64(b, p->codesigning_flags);
	lit(b, ",");
	key(b, "is_platform_binary");
	boolean(b, p->is_platform_binary);
	lit(b, ",");
	key(b, "is_es_client");
	boolean(b, p->is_es_client);
	lit(b, ",");
	key(b, "cdhash");
	char cd[40];
	for (int i = 0; i < 20; i++) {
		cd[2 * i] = hex[p->cdhash[i] >> 4];
		cd[2 * i + 1] = hex[p->cdhash[i] & 0xf];
	}
	str_n(b, cd, sizeof cd);
	lit(b, ",");
	key(b, "signing_id");
	token(b, p->signing_id);
	lit(b, ",");
	key(b, "team_id");
	token(b, p->team_id);
	lit(b, ",");
	key(b, "executable");
	file(b, p->executable);
	if (version >= 2) {
		lit(b, ",");
		key(b, "tty");
		file(b, p->tty);
	}
	if (version >= 3) {
		lit(b, ",");
		key(b, "start_time");
		iso_time(b, p->start_time.tv_sec, (long)p->start_time.tv_usec, 6);
	}
	if (version >= 4) {
		lit(b, ",");
		key(b, "responsible_audit_token");
		audit_token(b, &p->responsible_audit_token);
		lit(b, ",");
		key(b, "parent_audit_token");
		audit_token(b, &p->parent_audit_token);
	}
	lit(b, "}");
}

/* `"name":` then a value, with a leading comma unless first. */
#define FIELD(name) (lit(b, first ? "" : ","), first = 0, key(b, name))

static void target_file(edr_buf_t *b, const char *name, const es_file_t *f, int *firstp) {
	int first = *firstp;
	FIELD(name);
	file(b, f);
	*firstp = first;
}

/* new_path { dir, filename } or existing_file, as eslogger writes a destination union. */
static void destination(edr_buf_t *b, es_destination_type_t type, const es_file_t *existing, const es_file_t *dir, es_string_token_t filename, const mode_t *mode) {
	lit(b, "\"destination_type\":");
	u64(b, (uint64_t)type);
	lit(b, ",\"destination\":{");
	if (type == ES_DESTINATION_TYPE_EXISTING_FILE) {
		key(b, "existing_file");
		file(b, existing);
	} else {
		lit(b, "\"new_path\":{\"dir\":");
		file(b, dir);
		lit(b, ",\"filename\":");
		token(b, filename);
		if (mode) {
			lit(b, ",\"mode\":");
			u64(b, (uint64_t)*mode);
		}
		lit(b, "}");
	}
	lit(b, "}");
}

static void statfs_json(edr_buf_t *b, const struct statfs *s) {
	if (!s) {
		lit(b, "null");
		return;
	}
	lit(b, "{\"f_mntonname\":");
	str_n(b, s->f_mntonname, strnlen(s->f_mntonname, sizeof s->f_mntonname));
	lit(b, ",\"f_mntfromname\":");
	str_n(b, s->f_mntfromname, strnlen(s->f_mntfromname, sizeof s->f_mntfromname));
	lit(b, ",\"f_fstypename\":");
	str_n(b, s->f_fstypename, strnlen(s->f_fstypename, sizeof s->f_fstypename));
	lit(b, ",\"f_flags\":");
	u64(b, s->f_flags);
	lit(b, "}");
}

static void btm_item(edr_buf_t *b, const es_btm_launch_item_t *it) {
	if (!it) {
		lit(b, "null");
		return;
	}
	lit(b, "{\"item_type\":");
	u64(b, (uint64_t)it->item_type);
	lit(b, ",\"legacy\":");
	boolean(b, it->legacy);
	lit(b, ",\"managed\":");
	boolean(b, it->managed);
	lit(b, ",\"uid\":");
	u64(b, (uint64_t)it->uid);
	lit(b, ",\"item_url\":");
	token(b, it->item_url);
	lit(b, ",\"app_url\":");
	token(b, it->app_url);
	lit(b, "}");
}

static void session(edr_buf_t *b, const es_event_lw_session_login_t *e) {
	lit(b, "{\"username\":");
	token(b, e->username);
	lit(b, ",\"graphical_session_id\":");
	u64(b, e->graphical_session_id);
	lit(b, "}");
}

static void get_task(edr_buf_t *b, const es_event_get_task_t *e, uint32_t version) {
	lit(b, "{\"target\":");
	process(b, e->target, version);
	if (version >= 5) {
		lit(b, ",\"type\":");
		u64(b, (uint64_t)e->type);
	}
	lit(b, "}");
}

static void od_user(edr_buf_t *b, const es_event_od_create_user_t *e) {
	lit(b, "{\"error_code\":");
	i64(b, e->error_code);
	lit(b, ",\"user_name\":");
	token(b, e->user_name);
	lit(b, ",\"node_name\":");
	token(b, e->node_name);
	lit(b, ",\"db_path\":");
	token(b, e->db_path);
	lit(b, "}");
}

/* A `uid` union as eslogger writes it: `{ "uid": n }`. */
static void uid_union(edr_buf_t *b, uid_t uid) {
	lit(b, "{\"uid\":");
	u64(b, (uint64_t)uid);
	lit(b, "}");
}

static void od_group(edr_buf_t *b, const es_event_od_group_add_t *e) {
	static const char hex[] = "0123456789ABCDEF";
	lit(b, "{\"error_code\":");
	i64(b, e->error_code);
	lit(b, ",\"group_name\":");
	token(b, e->group_name);
	lit(b, ",\"member\":");
	if (!e->member) {
		lit(b, "null");
	} else {
		lit(b, "{\"member_type\":");
		u64(b, (uint64_t)e->member->member_type);
		lit(b, ",\"member_value\":{");
		if (e->member->member_type == ES_OD_MEMBER_TYPE_USER_NAME) {
			lit(b, "\"name\":");
			token(b, e->member->member_value.name);
		} else {
			/* 8-4-4-4-12 upper-case hex, as uuid_unparse_upper writes it */
			char u[36];
			size_t k = 0;
			for (int i = 0; i < 16; i++) {
				if (i == 4 || i == 6 || i == 8 || i == 10) u[k++] = '-';
				u[k++] = hex[e->member->member_value.uuid[i] >> 4];
				u[k++] = hex[e->member->member_value.uuid[i] & 0xf];
			}
			lit(b, "\"uuid\":");
			str_n(b, u, sizeof u);
		}
		lit(b, "}}");
	}
	lit(b, ",\"node_name\":");
	token(b, e->node_name);
	lit(b, "}");
}

static void authentication(edr_buf_t *b, const es_event_authentication_t *e) {
	lit(b, "{\"success\":");
	boolean(b, e->success);
	lit(b, ",\"type\":");
	u64(b, (uint64_t)e->type);
	lit(b, ",\"data\":{");
	switch (e->type) {
	case ES_AUTHENTICATION_TYPE_OD:
		lit(b, "\"od\":{\"record_type\":");
		token(b, e->data.od->record_type);
		lit(b, ",\"record_name\":");
		token(b, e->data.od->record_name);
		lit(b, ",\"node_name\":");
		token(b, e->data.od->node_name);
		lit(b, "}");
		break;
	case ES_AUTHENTICATION_TYPE_TOUCHID:
		lit(b, "\"touchid\":{\"touchid_mode\":");
		u64(b, (uint64_t)e->data.touchid->touchid_mode);
		lit(b, ",\"has_uid\":");
		boolean(b, e->data.touchid->has_uid);
		if (e->data.touchid->has_uid) {
			lit(b, ",\"uid\":");
			uid_union(b, e->data.touchid->uid.uid);
		}
		lit(b, "}");
		break;
	case ES_AUTHENTICATION_TYPE_TOKEN:
		lit(b, "\"token\":{\"token_id\":");
		token(b, e->data.token->token_id);
		lit(b, "}");
		break;
	case ES_AUTHENTICATION_TYPE_AUTO_UNLOCK:
		lit(b, "\"auto_unlock\":{\"username\":");
		token(b, e->data.auto_unlock->username);
		lit(b, ",\"type\":");
		u64(b, (uint64_t)e->data.auto_unlock->type);
		lit(b, "}");
		break;
	default:
		break;
	}
	lit(b, "}}");
}

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
	const es_events_t *e = &m->event;
	const uint32_t v = m->version;
	int first = 1;
	/* Events whose bodies are written whole by a helper (shared layouts). */
	switch (m->event_type) {
	case ES_EVENT_TYPE_NOTIFY_GET_TASK:
	case ES_EVENT_TYPE_NOTIFY_GET_TASK_READ:
	case ES_EVENT_TYPE_NOTIFY_GET_TASK_INSPECT:
	case ES_EVENT_TYPE_NOTIFY_GET_TASK_NAME:
		/* The four structs have the same layout; the union's `get_task` member reads them all. */
		get_task(b, &e->get_task, v);
		return 1;
	case ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOGIN:
	case ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOGOUT:
	case ES_EVENT_TYPE_NOTIFY_LW_SESSION_LOCK:
	case ES_EVENT_TYPE_NOTIFY_LW_SESSION_UNLOCK:
		/* Four events, one layout: the union's pointers alias. */
		session(b, e->lw_session_login);
		return 1;
	case ES_EVENT_TYPE_NOTIFY_OD_CREATE_USER:
		od_user(b, e->od_create_user);
		return 1;
	case ES_EVENT_TYPE_NOTIFY_OD_DELETE_USER:
		od_user(b, e->od_delete_user);
		return 1;
	case ES_EVENT_TYPE_NOTIFY_OD_DISABLE_USER:
		od_user(b, e->od_disable_user);
		return 1;
	case ES_EVENT_TYPE_NOTIFY_OD_ENABLE_USER:
		od_user(b, e->od_enable_user);
		return 1;
	case ES_EVENT_TYPE_NOTIFY_OD_GROUP_ADD:
		od_group(b, e->od_group_add);
		return 1;
	case ES_EVENT_TYPE_NOTIFY_OD_GROUP_REMOVE:
		od_group(b, e->od_group_remove);
		return 1;
	case ES_EVENT_TYPE_NOTIFY_AUTHENTICATION:
		authentication(b, e->authentication);
		return 1;
	default:
		break;
	}
	lit(b, "{");
	switch (m->event_type) {
	case ES_EVENT_TYPE_NOTIFY_EXEC: {
		FIELD("target");
		process(b, e->exec.target, v);
		FIELD("args");
		lit(b, "[");
		uint32_t n = es_exec_arg_count(&e->exec);
		for (uint32_t i = 0; i < n; i++) {
			if (i) lit(b, ",");
			es_string_token_t a = es_exec_arg(&e->exec, i);
			str_n(b, a.data ? a.data : "", a.data ? a.length : 0);
		}
		lit(b, "]");
		if (v >= 7) {
			FIELD("dyld_exec_path");
			token(b, e->exec.dyld_exec_path);
		}
		if (v >= 2) target_file(b, "script", e->exec.script, &first);
		if (v >= 3) target_file(b, "cwd", e->exec.cwd, &first);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_OPEN:
		FIELD("fflag");
		i64(b, e->open.fflag);
		target_file(b, "file", e->open.file, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_FORK:
		FIELD("child");
		process(b, e->fork.child, v);
		break;
	case ES_EVENT_TYPE_NOTIFY_CLOSE:
		FIELD("modified");
		boolean(b, e->close.modified);
		target_file(b, "target", e->close.target, &first);
		if (v >= 6) {
			FIELD("was_mapped_writable");
			boolean(b, e->close.was_mapped_writable);
		}
		break;
	case ES_EVENT_TYPE_NOTIFY_CREATE:
		destination(b, e->create.destination_type, e->create.destination.existing_file, e->create.destination.new_path.dir,
		            e->create.destination.new_path.filename, &e->create.destination.new_path.mode);
		break;
	case ES_EVENT_TYPE_NOTIFY_EXIT:
		FIELD("stat");
		i64(b, e->exit.stat);
		break;
	case ES_EVENT_TYPE_NOTIFY_KEXTLOAD:
		FIELD("identifier");
		token(b, e->kextload.identifier);
		break;
	case ES_EVENT_TYPE_NOTIFY_LINK:
		target_file(b, "source", e->link.source, &first);
		target_file(b, "target_dir", e->link.target_dir, &first);
		FIELD("target_filename");
		token(b, e->link.target_filename);
		break;
	case ES_EVENT_TYPE_NOTIFY_MMAP:
		FIELD("protection");
		i64(b, e->mmap.protection);
		FIELD("max_protection");
		i64(b, e->mmap.max_protection);
		FIELD("flags");
		i64(b, e->mmap.flags);
		FIELD("file_pos");
		u64(b, e->mmap.file_pos);
		target_file(b, "source", e->mmap.source, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_MOUNT:
		FIELD("statfs");
		statfs_json(b, e->mount.statfs);
		break;
	case ES_EVENT_TYPE_NOTIFY_UNMOUNT:
		FIELD("statfs");
		statfs_json(b, e->unmount.statfs);
		break;
	case ES_EVENT_TYPE_NOTIFY_RENAME:
		target_file(b, "source", e->rename.source, &first);
		lit(b, ",");
		destination(b, e->rename.destination_type, e->rename.destination.existing_file, e->rename.destination.new_path.dir,
		            e->rename.destination.new_path.filename, NULL);
		break;
	case ES_EVENT_TYPE_NOTIFY_SETEXTATTR:
		target_file(b, "target", e->setextattr.target, &first);
		FIELD("extattr");
		token(b, e->setextattr.extattr);
		break;
	case ES_EVENT_TYPE_NOTIFY_DELETEEXTATTR:
		target_file(b, "target", e->deleteextattr.target, &first);
		FIELD("extattr");
		token(b, e->deleteextattr.extattr);
		break;
	case ES_EVENT_TYPE_NOTIFY_SETFLAGS:
		FIELD("flags");
		u64(b, e->setflags.flags);
		target_file(b, "target", e->setflags.target, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_SETMODE:
		FIELD("mode");
		u64(b, (uint64_t)e->setmode.mode);
		target_file(b, "target", e->setmode.target, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_SETOWNER:
		FIELD("uid");
		u64(b, (uint64_t)e->setowner.uid);
		FIELD("gid");
		u64(b, (uint64_t)e->setowner.gid);
		target_file(b, "target", e->setowner.target, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_UNLINK:
		target_file(b, "target", e->unlink.target, &first);
		target_file(b, "parent_dir", e->unlink.parent_dir, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_WRITE:
		target_file(b, "target", e->write.target, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_TRUNCATE:
		target_file(b, "target", e->truncate.target, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_TRACE:
		FIELD("target");
		process(b, e->trace.target, v);
		break;
	case ES_EVENT_TYPE_NOTIFY_REMOTE_THREAD_CREATE:
		FIELD("target");
		process(b, e->remote_thread_create.target, v);
		FIELD("thread_state");
		if (e->remote_thread_create.thread_state) {
			lit(b, "{\"flavor\":");
			i64(b, e->remote_thread_create.thread_state->flavor);
			lit(b, "}");
		} else {
			lit(b, "null");
		}
		break;
	case ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGIN: {
		const es_event_openssh_login_t *s = e->openssh_login;
		FIELD("success");
		boolean(b, s->success);
		FIELD("result_type");
		u64(b, (uint64_t)s->result_type);
		FIELD("source_address_type");
		u64(b, (uint64_t)s->source_address_type);
		FIELD("source_address");
		token(b, s->source_address);
		FIELD("username");
		token(b, s->username);
		FIELD("has_uid");
		boolean(b, s->has_uid);
		if (s->has_uid) {
			FIELD("uid");
			lit(b, "{\"uid\":");
			u64(b, (uint64_t)s->uid.uid);
			lit(b, "}");
		}
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGOUT: {
		const es_event_openssh_logout_t *s = e->openssh_logout;
		FIELD("source_address_type");
		u64(b, (uint64_t)s->source_address_type);
		FIELD("source_address");
		token(b, s->source_address);
		FIELD("username");
		token(b, s->username);
		FIELD("uid");
		u64(b, (uint64_t)s->uid);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_LOGIN_LOGIN: {
		const es_event_login_login_t *s = e->login_login;
		FIELD("success");
		boolean(b, s->success);
		FIELD("failure_message");
		token(b, s->failure_message);
		FIELD("username");
		token(b, s->username);
		FIELD("has_uid");
		boolean(b, s->has_uid);
		if (s->has_uid) {
			FIELD("uid");
			lit(b, "{\"uid\":");
			u64(b, (uint64_t)s->uid.uid);
			lit(b, "}");
		}
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_LOGIN_LOGOUT:
		FIELD("username");
		token(b, e->login_logout->username);
		FIELD("uid");
		u64(b, (uint64_t)e->login_logout->uid);
		break;
	case ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_ADD:
		FIELD("instigator");
		process(b, e->btm_launch_item_add->instigator, v);
		FIELD("app");
		process(b, e->btm_launch_item_add->app, v);
		FIELD("item");
		btm_item(b, e->btm_launch_item_add->item);
		FIELD("executable_path");
		token(b, e->btm_launch_item_add->executable_path);
		break;
	case ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_REMOVE:
		FIELD("instigator");
		process(b, e->btm_launch_item_remove->instigator, v);
		FIELD("app");
		process(b, e->btm_launch_item_remove->app, v);
		FIELD("item");
		btm_item(b, e->btm_launch_item_remove->item);
		break;
	case ES_EVENT_TYPE_NOTIFY_OD_MODIFY_PASSWORD: {
		const es_event_od_modify_password_t *o = e->od_modify_password;
		FIELD("error_code");
		i64(b, o->error_code);
		FIELD("account_type");
		u64(b, (uint64_t)o->account_type);
		FIELD("account_name");
		token(b, o->account_name);
		FIELD("node_name");
		token(b, o->node_name);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_SCREENSHARING_ATTACH: {
		const es_event_screensharing_attach_t *a = e->screensharing_attach;
		FIELD("success");
		boolean(b, a->success);
		FIELD("source_address_type");
		u64(b, (uint64_t)a->source_address_type);
		FIELD("source_address");
		token(b, a->source_address);
		FIELD("viewer_appleid");
		token(b, a->viewer_appleid);
		FIELD("authentication_type");
		token(b, a->authentication_type);
		FIELD("authentication_username");
		token(b, a->authentication_username);
		FIELD("session_username");
		token(b, a->session_username);
		FIELD("existing_session");
		boolean(b, a->existing_session);
		FIELD("graphical_session_id");
		u64(b, a->graphical_session_id);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_SCREENSHARING_DETACH: {
		const es_event_screensharing_detach_t *d = e->screensharing_detach;
		FIELD("source_address_type");
		u64(b, (uint64_t)d->source_address_type);
		FIELD("source_address");
		token(b, d->source_address);
		FIELD("viewer_appleid");
		token(b, d->viewer_appleid);
		FIELD("graphical_session_id");
		u64(b, d->graphical_session_id);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_SU: {
		const es_event_su_t *u = e->su;
		FIELD("success");
		boolean(b, u->success);
		FIELD("failure_message");
		token(b, u->failure_message);
		FIELD("from_uid");
		u64(b, (uint64_t)u->from_uid);
		FIELD("from_username");
		token(b, u->from_username);
		FIELD("has_to_uid");
		boolean(b, u->has_to_uid);
		if (u->has_to_uid) {
			FIELD("to_uid");
			uid_union(b, u->to_uid.uid);
		}
		FIELD("to_username");
		token(b, u->to_username);
		FIELD("shell");
		token(b, u->shell);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_SUDO: {
		const es_event_sudo_t *u = e->sudo;
		FIELD("success");
		boolean(b, u->success);
		FIELD("reject_info");
		if (u->reject_info) {
			lit(b, "{\"plugin_name\":");
			token(b, u->reject_info->plugin_name);
			lit(b, ",\"plugin_type\":");
			u64(b, (uint64_t)u->reject_info->plugin_type);
			lit(b, ",\"failure_message\":");
			token(b, u->reject_info->failure_message);
			lit(b, "}");
		} else {
			lit(b, "null");
		}
		FIELD("has_from_uid");
		boolean(b, u->has_from_uid);
		if (u->has_from_uid) {
			FIELD("from_uid");
			uid_union(b, u->from_uid.uid);
		}
		FIELD("from_username");
		token(b, u->from_username);
		FIELD("has_to_uid");
		boolean(b, u->has_to_uid);
		if (u->has_to_uid) {
			FIELD("to_uid");
			uid_union(b, u->to_uid.uid);
		}
		FIELD("to_username");
		token(b, u->to_username);
		FIELD("command");
		token(b, u->command);
		break;
	}
	default:
		return 0;
	}
	lit(b, "}");
	return 1;
}

int edr_es_record(edr_buf_t *out, const es_message_t *m) {
	const char *name = edr_es_event_name(m->event_type);
	if (!name) return 0;
	const size_t start = out->len;
	edr_buf_t *b = out;
	lit(b, "{\"version\":");
	u64(b, m->version);
	lit(b, ",\"time\":");
	iso_time(b, m->time.tv_sec, m->time.tv_nsec, 9);
	lit(b, ",\"mach_time\":");
	u64(b, m->mach_time);
	lit(b, ",\"event_type\":");
	u64(b, (uint64_t)m->event_type);
	lit(b, ",\"action_type\":");
	u64(b, (uint64_t)m->action_type);
	if (m->version >= 2) {
		lit(b, ",\"seq_num\":");
		u64(b, m->seq_num);
	}
	if (m->version >= 4) {
		lit(b, ",\"global_seq_num\":");
		u64(b, m->global_seq_num);
		lit(b, ",\"thread\":");
		if (m->thread) {
			lit(b, "{\"thread_id\":");
			u64(b, m->thread->thread_id);
			lit(b, "}");
		} else {
			lit(b, "null");
		}
	}
	lit(b, ",\"process\":");
	process(b, m->process, m->version);
	lit(b, ",\"event\":{");
	str_c(b, name);
	lit(b, ":");
	const int converted = body(b, m);
	lit(b, "}}\n");
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
