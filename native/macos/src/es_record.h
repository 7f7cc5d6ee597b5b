/*
 * es_message_t → one JSON line in eslogger's schema (the subset edrkit maps), so that the
 * addon's records and eslogger's output are read by one decoder in JavaScript
 * (packages/macos/src/eslogger/decoder.ts). Plain C: no blocks, no Node-API, no allocation
 * beyond the growing output buffer; compiled on Linux against test stubs for the tests.
 */
#ifndef EDRKIT_ES_RECORD_H
#define EDRKIT_ES_RECORD_H

#include <stddef.h>
#include <EndpointSecurity/EndpointSecurity.h>

/* A growing byte buffer. `failed` is set (and stays set) when an allocation failed. */
typedef struct {
	char *data;
	size_t len;
	size_t cap;
	int failed;
} edr_buf_t;

/* Free the buffer's memory. */
void edr_buf_free(edr_buf_t *b);

/*
 * Append `msg` as one JSON line (ending in '\n') to `out`.
 * Returns 1 when written, 0 when edrkit does not convert this event type (nothing written),
 * -1 when memory ran out (the buffer is left as it was before the call).
 */
int edr_es_record(edr_buf_t *out, const es_message_t *msg);

/* The eslogger name of an event type edrkit converts, or NULL. */
const char *edr_es_event_name(es_event_type_t type);

/* The event types edrkit converts, and how many (for subscribing). */
extern const es_event_type_t edr_es_converted_types[];
extern const size_t edr_es_converted_count;

#endif
