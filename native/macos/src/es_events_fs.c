/*
 * es_message_t bodies of process, file, volume, kext and task-port events → eslogger JSON
 * (`event.<name>`). Fields only present from some message version on are written only when the
 * message has them, as eslogger does.
 */
#include "es_json.h"

#include <string.h>

static void target_file(edr_buf_t *b, const char *name, const es_file_t *f, int *firstp) {
	int first = *firstp;
	FIELD(name);
	ej_file(b, f);
	*firstp = first;
}

/* new_path { dir, filename } or existing_file, as eslogger writes a destination union. */
static void destination(edr_buf_t *b, es_destination_type_t type, const es_file_t *existing, const es_file_t *dir, es_string_token_t filename, const mode_t *mode) {
	ej_lit(b, "\"destination_type\":");
	ej_u64(b, (uint64_t)type);
	ej_lit(b, ",\"destination\":{");
	if (type == ES_DESTINATION_TYPE_EXISTING_FILE) {
		ej_key(b, "existing_file");
		ej_file(b, existing);
	} else {
		ej_lit(b, "\"new_path\":{\"dir\":");
		ej_file(b, dir);
		ej_lit(b, ",\"filename\":");
		ej_token(b, filename);
		if (mode) {
			ej_lit(b, ",\"mode\":");
			ej_u64(b, (uint64_t)*mode);
		}
		ej_lit(b, "}");
	}
	ej_lit(b, "}");
}

static void statfs_json(edr_buf_t *b, const struct statfs *s) {
	if (!s) {
		ej_lit(b, "null");
		return;
	}
	ej_lit(b, "{\"f_mntonname\":");
	ej_str_n(b, s->f_mntonname, strnlen(s->f_mntonname, sizeof s->f_mntonname));
	ej_lit(b, ",\"f_mntfromname\":");
	ej_str_n(b, s->f_mntfromname, strnlen(s->f_mntfromname, sizeof s->f_mntfromname));
	ej_lit(b, ",\"f_fstypename\":");
	ej_str_n(b, s->f_fstypename, strnlen(s->f_fstypename, sizeof s->f_fstypename));
	ej_lit(b, ",\"f_flags\":");
	ej_u64(b, s->f_flags);
	ej_lit(b, "}");
}

static void get_task(edr_buf_t *b, const es_event_get_task_t *e, uint32_t version) {
	ej_lit(b, "{\"target\":");
	ej_process(b, e->target, version);
	if (version >= 5) {
		ej_lit(b, ",\"type\":");
		ej_u64(b, (uint64_t)e->type);
	}
	ej_lit(b, "}");
}


/* The body of a process, file, volume, kext or task-port event; returns 1 when written, 0 when the type is not this family's (nothing written). */
int edr_body_fs(edr_buf_t *b, const es_message_t *m) {
	const es_events_t *e = &m->event;
	const uint32_t v = m->version;
	int first = 1;
	(void)v;
	/* Events whose bodies are written whole by a helper (shared layouts). */
	switch (m->event_type) {
	case ES_EVENT_TYPE_NOTIFY_GET_TASK:
	case ES_EVENT_TYPE_NOTIFY_GET_TASK_READ:
	case ES_EVENT_TYPE_NOTIFY_GET_TASK_INSPECT:
	case ES_EVENT_TYPE_NOTIFY_GET_TASK_NAME:
		/* The four structs have the same layout; the union's `get_task` member reads them all. */
		get_task(b, &e->get_task, v);
		return 1;
	default:
		break;
	}
	const size_t start = b->len;
	ej_lit(b, "{");
	switch (m->event_type) {
	case ES_EVENT_TYPE_NOTIFY_EXEC: {
		FIELD("target");
		ej_process(b, e->exec.target, v);
		FIELD("args");
		ej_lit(b, "[");
		uint32_t n = es_exec_arg_count(&e->exec);
		for (uint32_t i = 0; i < n; i++) {
			if (i) ej_lit(b, ",");
			es_string_token_t a = es_exec_arg(&e->exec, i);
			ej_str_n(b, a.data ? a.data : "", a.data ? a.length : 0);
		}
		ej_lit(b, "]");
		if (v >= 7) {
			FIELD("dyld_exec_path");
			ej_token(b, e->exec.dyld_exec_path);
		}
		if (v >= 2) target_file(b, "script", e->exec.script, &first);
		if (v >= 3) target_file(b, "cwd", e->exec.cwd, &first);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_OPEN:
		FIELD("fflag");
		ej_i64(b, e->open.fflag);
		target_file(b, "file", e->open.file, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_FORK:
		FIELD("child");
		ej_process(b, e->fork.child, v);
		break;
	case ES_EVENT_TYPE_NOTIFY_CLOSE:
		FIELD("modified");
		ej_boolean(b, e->close.modified);
		target_file(b, "target", e->close.target, &first);
		if (v >= 6) {
			FIELD("was_mapped_writable");
			ej_boolean(b, e->close.was_mapped_writable);
		}
		break;
	case ES_EVENT_TYPE_NOTIFY_CREATE:
		destination(b, e->create.destination_type, e->create.destination.existing_file, e->create.destination.new_path.dir,
		            e->create.destination.new_path.filename, &e->create.destination.new_path.mode);
		break;
	case ES_EVENT_TYPE_NOTIFY_EXIT:
		FIELD("stat");
		ej_i64(b, e->exit.stat);
		break;
	case ES_EVENT_TYPE_NOTIFY_KEXTLOAD:
		FIELD("identifier");
		ej_token(b, e->kextload.identifier);
		break;
	case ES_EVENT_TYPE_NOTIFY_LINK:
		target_file(b, "source", e->link.source, &first);
		target_file(b, "target_dir", e->link.target_dir, &first);
		FIELD("target_filename");
		ej_token(b, e->link.target_filename);
		break;
	case ES_EVENT_TYPE_NOTIFY_MMAP:
		FIELD("protection");
		ej_i64(b, e->mmap.protection);
		FIELD("max_protection");
		ej_i64(b, e->mmap.max_protection);
		FIELD("flags");
		ej_i64(b, e->mmap.flags);
		FIELD("file_pos");
		ej_u64(b, e->mmap.file_pos);
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
		ej_lit(b, ",");
		destination(b, e->rename.destination_type, e->rename.destination.existing_file, e->rename.destination.new_path.dir,
		            e->rename.destination.new_path.filename, NULL);
		break;
	case ES_EVENT_TYPE_NOTIFY_SETEXTATTR:
		target_file(b, "target", e->setextattr.target, &first);
		FIELD("extattr");
		ej_token(b, e->setextattr.extattr);
		break;
	case ES_EVENT_TYPE_NOTIFY_DELETEEXTATTR:
		target_file(b, "target", e->deleteextattr.target, &first);
		FIELD("extattr");
		ej_token(b, e->deleteextattr.extattr);
		break;
	case ES_EVENT_TYPE_NOTIFY_SETFLAGS:
		FIELD("flags");
		ej_u64(b, e->setflags.flags);
		target_file(b, "target", e->setflags.target, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_SETMODE:
		FIELD("mode");
		ej_u64(b, (uint64_t)e->setmode.mode);
		target_file(b, "target", e->setmode.target, &first);
		break;
	case ES_EVENT_TYPE_NOTIFY_SETOWNER:
		FIELD("uid");
		ej_u64(b, (uint64_t)e->setowner.uid);
		FIELD("gid");
		ej_u64(b, (uint64_t)e->setowner.gid);
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
		ej_process(b, e->trace.target, v);
		break;
	case ES_EVENT_TYPE_NOTIFY_REMOTE_THREAD_CREATE:
		FIELD("target");
		ej_process(b, e->remote_thread_create.target, v);
		FIELD("thread_state");
		if (e->remote_thread_create.thread_state) {
			ej_lit(b, "{\"flavor\":");
			ej_i64(b, e->remote_thread_create.thread_state->flavor);
			ej_lit(b, "}");
		} else {
			ej_lit(b, "null");
		}
		break;
	default:
		b->len = start; /* not ours: take the brace back */
		return 0;
	}
	ej_lit(b, "}");
	return 1;
}
