/*
 * es_message_t bodies of the logon (loginwindow, login, OpenSSH, Screen Sharing, su, sudo,
 * authentication), OpenDirectory and Background Task Management events (macOS 13/14, pointers
 * in es_events_t) → eslogger JSON (`event.<name>`).
 */
#include "es_json.h"

static void btm_item(edr_buf_t *b, const es_btm_launch_item_t *it) {
	if (!it) {
		ej_lit(b, "null");
		return;
	}
	ej_lit(b, "{\"item_type\":");
	ej_u64(b, (uint64_t)it->item_type);
	ej_lit(b, ",\"legacy\":");
	ej_boolean(b, it->legacy);
	ej_lit(b, ",\"managed\":");
	ej_boolean(b, it->managed);
	ej_lit(b, ",\"uid\":");
	ej_u64(b, (uint64_t)it->uid);
	ej_lit(b, ",\"item_url\":");
	ej_token(b, it->item_url);
	ej_lit(b, ",\"app_url\":");
	ej_token(b, it->app_url);
	ej_lit(b, "}");
}

static void session(edr_buf_t *b, const es_event_lw_session_login_t *e) {
	ej_lit(b, "{\"username\":");
	ej_token(b, e->username);
	ej_lit(b, ",\"graphical_session_id\":");
	ej_u64(b, e->graphical_session_id);
	ej_lit(b, "}");
}

static void od_user(edr_buf_t *b, const es_event_od_create_user_t *e) {
	ej_lit(b, "{\"error_code\":");
	ej_i64(b, e->error_code);
	ej_lit(b, ",\"user_name\":");
	ej_token(b, e->user_name);
	ej_lit(b, ",\"node_name\":");
	ej_token(b, e->node_name);
	ej_lit(b, ",\"db_path\":");
	ej_token(b, e->db_path);
	ej_lit(b, "}");
}

/* A `uid` union as eslogger writes it: `{ "uid": n }`. */
static void uid_union(edr_buf_t *b, uid_t uid) {
	ej_lit(b, "{\"uid\":");
	ej_u64(b, (uint64_t)uid);
	ej_lit(b, "}");
}

static void od_group(edr_buf_t *b, const es_event_od_group_add_t *e) {
	static const char hex[] = "0123456789ABCDEF";
	ej_lit(b, "{\"error_code\":");
	ej_i64(b, e->error_code);
	ej_lit(b, ",\"group_name\":");
	ej_token(b, e->group_name);
	ej_lit(b, ",\"member\":");
	if (!e->member) {
		ej_lit(b, "null");
	} else {
		ej_lit(b, "{\"member_type\":");
		ej_u64(b, (uint64_t)e->member->member_type);
		ej_lit(b, ",\"member_value\":{");
		if (e->member->member_type == ES_OD_MEMBER_TYPE_USER_NAME) {
			ej_lit(b, "\"name\":");
			ej_token(b, e->member->member_value.name);
		} else {
			/* 8-4-4-4-12 upper-case hex, as uuid_unparse_upper writes it */
			char u[36];
			size_t k = 0;
			for (int i = 0; i < 16; i++) {
				if (i == 4 || i == 6 || i == 8 || i == 10) u[k++] = '-';
				u[k++] = hex[e->member->member_value.uuid[i] >> 4];
				u[k++] = hex[e->member->member_value.uuid[i] & 0xf];
			}
			ej_lit(b, "\"uuid\":");
			ej_str_n(b, u, sizeof u);
		}
		ej_lit(b, "}}");
	}
	ej_lit(b, ",\"node_name\":");
	ej_token(b, e->node_name);
	ej_lit(b, "}");
}

static void authentication(edr_buf_t *b, const es_event_authentication_t *e) {
	ej_lit(b, "{\"success\":");
	ej_boolean(b, e->success);
	ej_lit(b, ",\"type\":");
	ej_u64(b, (uint64_t)e->type);
	ej_lit(b, ",\"data\":{");
	switch (e->type) {
	case ES_AUTHENTICATION_TYPE_OD:
		ej_lit(b, "\"od\":{\"record_type\":");
		ej_token(b, e->data.od->record_type);
		ej_lit(b, ",\"record_name\":");
		ej_token(b, e->data.od->record_name);
		ej_lit(b, ",\"node_name\":");
		ej_token(b, e->data.od->node_name);
		ej_lit(b, "}");
		break;
	case ES_AUTHENTICATION_TYPE_TOUCHID:
		ej_lit(b, "\"touchid\":{\"touchid_mode\":");
		ej_u64(b, (uint64_t)e->data.touchid->touchid_mode);
		ej_lit(b, ",\"has_uid\":");
		ej_boolean(b, e->data.touchid->has_uid);
		if (e->data.touchid->has_uid) {
			ej_lit(b, ",\"uid\":");
			uid_union(b, e->data.touchid->uid.uid);
		}
		ej_lit(b, "}");
		break;
	case ES_AUTHENTICATION_TYPE_TOKEN:
		ej_lit(b, "\"token\":{\"token_id\":");
		ej_token(b, e->data.token->token_id);
		ej_lit(b, "}");
		break;
	case ES_AUTHENTICATION_TYPE_AUTO_UNLOCK:
		ej_lit(b, "\"auto_unlock\":{\"username\":");
		ej_token(b, e->data.auto_unlock->username);
		ej_lit(b, ",\"type\":");
		ej_u64(b, (uint64_t)e->data.auto_unlock->type);
		ej_lit(b, "}");
		break;
	default:
		break;
	}
	ej_lit(b, "}}");
}

/* The body of a logon, OpenDirectory or launch item event; returns 1 when written, 0 when the type is not this family's (nothing written). */
int edr_body_auth(edr_buf_t *b, const es_message_t *m) {
	const es_events_t *e = &m->event;
	const uint32_t v = m->version;
	int first = 1;
	(void)v;
	/* Events whose bodies are written whole by a helper (shared layouts). */
	switch (m->event_type) {
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
	const size_t start = b->len;
	ej_lit(b, "{");
	switch (m->event_type) {
	case ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGIN: {
		const es_event_openssh_login_t *s = e->openssh_login;
		FIELD("success");
		ej_boolean(b, s->success);
		FIELD("result_type");
		ej_u64(b, (uint64_t)s->result_type);
		FIELD("source_address_type");
		ej_u64(b, (uint64_t)s->source_address_type);
		FIELD("source_address");
		ej_token(b, s->source_address);
		FIELD("username");
		ej_token(b, s->username);
		FIELD("has_uid");
		ej_boolean(b, s->has_uid);
		if (s->has_uid) {
			FIELD("uid");
			ej_lit(b, "{\"uid\":");
			ej_u64(b, (uint64_t)s->uid.uid);
			ej_lit(b, "}");
		}
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGOUT: {
		const es_event_openssh_logout_t *s = e->openssh_logout;
		FIELD("source_address_type");
		ej_u64(b, (uint64_t)s->source_address_type);
		FIELD("source_address");
		ej_token(b, s->source_address);
		FIELD("username");
		ej_token(b, s->username);
		FIELD("uid");
		ej_u64(b, (uint64_t)s->uid);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_LOGIN_LOGIN: {
		const es_event_login_login_t *s = e->login_login;
		FIELD("success");
		ej_boolean(b, s->success);
		FIELD("failure_message");
		ej_token(b, s->failure_message);
		FIELD("username");
		ej_token(b, s->username);
		FIELD("has_uid");
		ej_boolean(b, s->has_uid);
		if (s->has_uid) {
			FIELD("uid");
			ej_lit(b, "{\"uid\":");
			ej_u64(b, (uint64_t)s->uid.uid);
			ej_lit(b, "}");
		}
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_LOGIN_LOGOUT:
		FIELD("username");
		ej_token(b, e->login_logout->username);
		FIELD("uid");
		ej_u64(b, (uint64_t)e->login_logout->uid);
		break;
	case ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_ADD:
		FIELD("instigator");
		ej_process(b, e->btm_launch_item_add->instigator, v);
		FIELD("app");
		ej_process(b, e->btm_launch_item_add->app, v);
		FIELD("item");
		btm_item(b, e->btm_launch_item_add->item);
		FIELD("executable_path");
		ej_token(b, e->btm_launch_item_add->executable_path);
		break;
	case ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_REMOVE:
		FIELD("instigator");
		ej_process(b, e->btm_launch_item_remove->instigator, v);
		FIELD("app");
		ej_process(b, e->btm_launch_item_remove->app, v);
		FIELD("item");
		btm_item(b, e->btm_launch_item_remove->item);
		break;
	case ES_EVENT_TYPE_NOTIFY_OD_MODIFY_PASSWORD: {
		const es_event_od_modify_password_t *o = e->od_modify_password;
		FIELD("error_code");
		ej_i64(b, o->error_code);
		FIELD("account_type");
		ej_u64(b, (uint64_t)o->account_type);
		FIELD("account_name");
		ej_token(b, o->account_name);
		FIELD("node_name");
		ej_token(b, o->node_name);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_SCREENSHARING_ATTACH: {
		const es_event_screensharing_attach_t *a = e->screensharing_attach;
		FIELD("success");
		ej_boolean(b, a->success);
		FIELD("source_address_type");
		ej_u64(b, (uint64_t)a->source_address_type);
		FIELD("source_address");
		ej_token(b, a->source_address);
		FIELD("viewer_appleid");
		ej_token(b, a->viewer_appleid);
		FIELD("authentication_type");
		ej_token(b, a->authentication_type);
		FIELD("authentication_username");
		ej_token(b, a->authentication_username);
		FIELD("session_username");
		ej_token(b, a->session_username);
		FIELD("existing_session");
		ej_boolean(b, a->existing_session);
		FIELD("graphical_session_id");
		ej_u64(b, a->graphical_session_id);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_SCREENSHARING_DETACH: {
		const es_event_screensharing_detach_t *d = e->screensharing_detach;
		FIELD("source_address_type");
		ej_u64(b, (uint64_t)d->source_address_type);
		FIELD("source_address");
		ej_token(b, d->source_address);
		FIELD("viewer_appleid");
		ej_token(b, d->viewer_appleid);
		FIELD("graphical_session_id");
		ej_u64(b, d->graphical_session_id);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_SU: {
		const es_event_su_t *u = e->su;
		FIELD("success");
		ej_boolean(b, u->success);
		FIELD("failure_message");
		ej_token(b, u->failure_message);
		FIELD("from_uid");
		ej_u64(b, (uint64_t)u->from_uid);
		FIELD("from_username");
		ej_token(b, u->from_username);
		FIELD("has_to_uid");
		ej_boolean(b, u->has_to_uid);
		if (u->has_to_uid) {
			FIELD("to_uid");
			uid_union(b, u->to_uid.uid);
		}
		FIELD("to_username");
		ej_token(b, u->to_username);
		FIELD("shell");
		ej_token(b, u->shell);
		break;
	}
	case ES_EVENT_TYPE_NOTIFY_SUDO: {
		const es_event_sudo_t *u = e->sudo;
		FIELD("success");
		ej_boolean(b, u->success);
		FIELD("reject_info");
		if (u->reject_info) {
			ej_lit(b, "{\"plugin_name\":");
			ej_token(b, u->reject_info->plugin_name);
			ej_lit(b, ",\"plugin_type\":");
			ej_u64(b, (uint64_t)u->reject_info->plugin_type);
			ej_lit(b, ",\"failure_message\":");
			ej_token(b, u->reject_info->failure_message);
			ej_lit(b, "}");
		} else {
			ej_lit(b, "null");
		}
		FIELD("has_from_uid");
		ej_boolean(b, u->has_from_uid);
		if (u->has_from_uid) {
			FIELD("from_uid");
			uid_union(b, u->from_uid.uid);
		}
		FIELD("from_username");
		ej_token(b, u->from_username);
		FIELD("has_to_uid");
		ej_boolean(b, u->has_to_uid);
		if (u->has_to_uid) {
			FIELD("to_uid");
			uid_union(b, u->to_uid.uid);
		}
		FIELD("to_username");
		ej_token(b, u->to_username);
		FIELD("command");
		ej_token(b, u->command);
		break;
	}
	default:
		b->len = start; /* not ours: take the brace back */
		return 0;
	}
	ej_lit(b, "}");
	return 1;
}
