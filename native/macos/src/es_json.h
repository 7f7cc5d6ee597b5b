/*
 * Internal to the record writer (es_record.c, es_json.c, es_events_*.c): the JSON primitives
 * and the ES object writers, and the two event-family body writers.
 */
#ifndef EDRKIT_ES_JSON_H
#define EDRKIT_ES_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "es_record.h"

void ej_put(edr_buf_t *b, const char *s, size_t n);
void ej_lit(edr_buf_t *b, const char *s);
void ej_u64(edr_buf_t *b, uint64_t v);
void ej_i64(edr_buf_t *b, int64_t v);
/* A JSON string of `n` bytes, escaped. */
void ej_str_n(edr_buf_t *b, const char *s, size_t n);
void ej_str_c(edr_buf_t *b, const char *s);
/* A string token, or null when it is empty (ES's "not available"). */
void ej_token(edr_buf_t *b, es_string_token_t t);
/* `"k":` */
void ej_key(edr_buf_t *b, const char *k);
void ej_boolean(edr_buf_t *b, bool v);
/* RFC 3339 UTC with `digits` fraction digits (9 for timespec, 6 for timeval). */
void ej_iso_time(edr_buf_t *b, time_t sec, long frac, int digits);
/* The 8-word array form. */
void ej_audit_token(edr_buf_t *b, const audit_token_t *t);
void ej_file(edr_buf_t *b, const es_file_t *f);
void ej_process(edr_buf_t *b, const es_process_t *p, uint32_t version);

/* `"name":` then a value, with a leading comma unless first. */
#define FIELD(name) (ej_lit(b, first ? "" : ","), first = 0, ej_key(b, name))

int edr_body_fs(edr_buf_t *b, const es_message_t *m);
int edr_body_auth(edr_buf_t *b, const es_message_t *m);

#endif
