/*
 * JSON writing for es_record.c: a growing buffer, escaped strings, and the ES objects every
 * event shares (es_file_t, es_process_t, audit tokens, times) in eslogger's field names.
 * Strings are es_string_token_t (length-delimited, not NUL-terminated), escaped byte by byte.
 */
#include "es_json.h"

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

void ej_put(edr_buf_t *b, const char *s, size_t n) {
	if (!reserve(b, n)) return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

void ej_lit(edr_buf_t *b, const char *s) { ej_put(b, s, strlen(s)); }

void ej_u64(edr_buf_t *b, uint64_t v) {
	char tmp[24];
	int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
	ej_put(b, tmp, (size_t)n);
}

void ej_i64(edr_buf_t *b, int64_t v) {
	char tmp[24];
	int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	ej_put(b, tmp, (size_t)n);
}

void ej_str_n(edr_buf_t *b, const char *s, size_t n) {
	static const char hex[] = "0123456789abcdef";
	ej_lit(b, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			ej_put(b, e, 2);
		} else if (c < 0x20) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
			ej_put(b, e, 6);
		} else {
			ej_put(b, (const char *)&c, 1);
		}
	}
	ej_lit(b, "\"");
}

void ej_str_c(edr_buf_t *b, const char *s) { ej_str_n(b, s, strlen(s)); }

/* A string token, or null when it is empty (ES's "not available"). */
void ej_token(edr_buf_t *b, es_string_token_t t) {
	if (t.length == 0 || t.data == NULL) ej_lit(b, "null");
	else ej_str_n(b, t.data, t.length);
}

void ej_key(edr_buf_t *b, const char *k) {
	ej_str_c(b, k);
	ej_lit(b, ":");
}

void ej_boolean(edr_buf_t *b, bool v) { ej_lit(b, v ? "true" : "false"); }

/* RFC 3339 UTC with `digits` fraction digits (9 for timespec, 6 for timeval). */
void ej_iso_time(edr_buf_t *b, time_t sec, long frac, int digits) {
	struct tm tm;
	char tmp[64];
	if (!gmtime_r(&sec, &tm)) {
		ej_lit(b, "null");
		return;
	}
	size_t n = strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(tmp + n, sizeof tmp - n, ".%0*ldZ", digits, frac);
	ej_lit(b, "\"");
	ej_put(b, tmp, n);
	ej_lit(b, "\"");
}

void ej_audit_token(edr_buf_t *b, const audit_token_t *t) {
	ej_lit(b, "[");
	for (int i = 0; i < 8; i++) {
		if (i) ej_lit(b, ",");
		ej_u64(b, t->val[i]);
	}
	ej_lit(b, "]");
}

void ej_file(edr_buf_t *b, const es_file_t *f) {
	if (!f) {
		ej_lit(b, "null");
		return;
	}
	ej_lit(b, "{");
	ej_key(b, "path");
	ej_str_n(b, f->path.data ? f->path.data : "", f->path.data ? f->path.length : 0);
	ej_lit(b, ",");
	ej_key(b, "path_truncated");
	ej_boolean(b, f->path_truncated);
	ej_lit(b, ",\"stat\":{");
	ej_key(b, "st_mode");
	ej_u64(b, (uint64_t)f->stat.st_mode);
	ej_lit(b, ",");
	ej_key(b, "st_uid");
	ej_u64(b, (uint64_t)f->stat.st_uid);
	ej_lit(b, ",");
	ej_key(b, "st_gid");
	ej_u64(b, (uint64_t)f->stat.st_gid);
	ej_lit(b, ",");
	ej_key(b, "st_size");
	ej_i64(b, (int64_t)f->stat.st_size);
	ej_lit(b, ",");
	ej_key(b, "st_ino");
	ej_u64(b, (uint64_t)f->stat.st_ino);
	ej_lit(b, ",");
	ej_key(b, "st_dev");
	ej_u64(b, (uint64_t)f->stat.st_dev);
	ej_lit(b, "}}");
}

void ej_process(edr_buf_t *b, const es_process_t *p, uint32_t version) {
	static const char hex[] = "0123456789ABCDEF";
	if (!p) {
		ej_lit(b, "null");
		return;
	}
	ej_lit(b, "{");
	ej_key(b, "audit_token");
	ej_audit_token(b, &p->audit_token);
	ej_lit(b, ",");
	ej_key(b, "ppid");
	ej_i64(b, p->ppid);
	ej_lit(b, ",");
	ej_key(b, "original_ppid");
	ej_i64(b, p->original_ppid);
	ej_lit(b, ",");
	ej_key(b, "group_id");
	ej_i64(b, p->group_id);
	ej_lit(b, ",");
	ej_key(b, "session_id");
	ej_i64(b, p->session_id);
	ej_lit(b, ",");
	ej_key(b, "codesigning_flags");
	ej_u64(b, p->codesigning_flags);
	ej_lit(b, ",");
	ej_key(b, "is_platform_binary");
	ej_boolean(b, p->is_platform_binary);
	ej_lit(b, ",");
	ej_key(b, "is_es_client");
	ej_boolean(b, p->is_es_client);
	ej_lit(b, ",");
	ej_key(b, "cdhash");
	char cd[40];
	for (int i = 0; i < 20; i++) {
		cd[2 * i] = hex[p->cdhash[i] >> 4];
		cd[2 * i + 1] = hex[p->cdhash[i] & 0xf];
	}
	ej_str_n(b, cd, sizeof cd);
	ej_lit(b, ",");
	ej_key(b, "signing_id");
	ej_token(b, p->signing_id);
	ej_lit(b, ",");
	ej_key(b, "team_id");
	ej_token(b, p->team_id);
	ej_lit(b, ",");
	ej_key(b, "executable");
	ej_file(b, p->executable);
	if (version >= 2) {
		ej_lit(b, ",");
		ej_key(b, "tty");
		ej_file(b, p->tty);
	}
	if (version >= 3) {
		ej_lit(b, ",");
		ej_key(b, "start_time");
		ej_iso_time(b, p->start_time.tv_sec, (long)p->start_time.tv_usec, 6);
	}
	if (version >= 4) {
		ej_lit(b, ",");
		ej_key(b, "responsible_audit_token");
		ej_audit_token(b, &p->responsible_audit_token);
		ej_lit(b, ",");
		ej_key(b, "parent_audit_token");
		ej_audit_token(b, &p->parent_audit_token);
	}
	ej_lit(b, "}");
}

