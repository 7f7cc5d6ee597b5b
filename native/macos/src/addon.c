/*
 * The Endpoint Security Node-API addon (macOS only; built by packages/macos/binding.gyp on
 * darwin). One ES client per open(): its handler block runs on ES's own serial queue, turns
 * each message into an eslogger-schema JSON line (es_record.c) and appends it to a pending
 * buffer; a thread-safe function hands the pending buffer to JavaScript as one Buffer per
 * batch, so JS is called per batch, not per message. The pending buffer is bounded: past
 * MAX_PENDING bytes messages are counted as dropped (reported with the next batch) instead of
 * growing memory. Endpoint Security's own drops show as sequence-number gaps in the records.
 *
 *   open(eventTypes: number[], onBatch: (records: Buffer, dropped: number) => void)
 *     → { ok: true, handle } | { ok: false, result: es_new_client_result_t, stage: 'client' | 'subscribe' }
 *   close(handle)
 */
#include <EndpointSecurity/EndpointSecurity.h>
#include <bsm/libbsm.h>
#include <dispatch/dispatch.h>
#include <mach/mach.h>
#include <node_api.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "es_record.h"

#define MAX_PENDING (16u * 1024u * 1024u)

typedef struct {
	es_client_t *client;
	napi_threadsafe_function tsfn;
	pthread_mutex_t lock;
	edr_buf_t pending;
	uint64_t dropped;
	int scheduled;
	int closed;
} edr_client_t;

#define CHECK(env, call)                                                                                                       \
	do {                                                                                                                   \
		if ((call) != napi_ok) {                                                                                       \
			napi_throw_error((env), NULL, "edrkit_macos: " #call " failed");                                      \
			return NULL;                                                                                           \
		}                                                                                                              \
	} while (0)

/* On the JS thread: take the pending records and call onBatch(buffer, dropped). */
static void deliver(napi_env env, napi_value js_cb, void *context, void *data) {
	(void)data;
	edr_client_t *c = context;
	if (env == NULL || js_cb == NULL) return;
	pthread_mutex_lock(&c->lock);
	edr_buf_t batch = c->pending;
	uint64_t dropped = c->dropped;
	memset(&c->pending, 0, sizeof c->pending);
	c->dropped = 0;
	c->scheduled = 0;
	pthread_mutex_unlock(&c->lock);
	napi_value buf, drops, undefined, argv[2];
	if (napi_create_buffer_copy(env, batch.len, batch.len ? batch.data : "", NULL, &buf) != napi_ok) {
		edr_buf_free(&batch);
		return;
	}
	edr_buf_free(&batch);
	napi_create_double(env, (double)dropped, &drops);
	napi_get_undefined(env, &undefined);
	argv[0] = buf;
	argv[1] = drops;
	napi_call_function(env, undefined, js_cb, 2, argv, NULL);
}

/* On ES's queue: one message. Never blocks on JS; only the short pending-buffer lock. */
static void on_message(edr_client_t *c, const es_message_t *msg) {
	pthread_mutex_lock(&c->lock);
	if (c->closed) {
		pthread_mutex_unlock(&c->lock);
		return;
	}
	if (c->pending.len >= MAX_PENDING || edr_es_record(&c->pending, msg) < 0) c->dropped++;
	int schedule = !c->scheduled && (c->pending.len > 0 || c->dropped > 0);
	if (schedule) c->scheduled = 1;
	pthread_mutex_unlock(&c->lock);
	if (schedule) napi_call_threadsafe_function(c->tsfn, NULL, napi_tsfn_nonblocking);
}

static void shut_down(edr_client_t *c) {
	pthread_mutex_lock(&c->lock);
	int was_closed = c->closed;
	c->closed = 1;
	pthread_mutex_unlock(&c->lock);
	if (was_closed || !c->client) return;
	/* es_delete_client waits for handler blocks in flight, so nothing runs on `c` after it. */
	es_unsubscribe_all(c->client);
	es_delete_client(c->client);
	c->client = NULL;
	napi_release_threadsafe_function(c->tsfn, napi_tsfn_abort);
	pthread_mutex_lock(&c->lock);
	edr_buf_free(&c->pending);
	pthread_mutex_unlock(&c->lock);
}

static void finalize_client(napi_env env, void *data, void *hint) {
	(void)env;
	(void)hint;
	edr_client_t *c = data;
	/* close() normally ran; a handle collected without it still releases the ES client. */
	shut_down(c);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static napi_value result_object(napi_env env, int ok, int result, const char *stage, napi_value handle) {
	napi_value obj, v;
	napi_create_object(env, &obj);
	napi_get_boolean(env, ok, &v);
	napi_set_named_property(env, obj, "ok", v);
	if (ok) {
		napi_set_named_property(env, obj, "handle", handle);
	} else {
		napi_create_int32(env, result, &v);
		napi_set_named_property(env, obj, "result", v);
		napi_create_string_utf8(env, stage, NAPI_AUTO_LENGTH, &v);
		napi_set_named_property(env, obj, "stage", v);
	}
	return obj;
}

static napi_value open_client(napi_env env, napi_callback_info info) {
	size_t argc = 2;
	napi_value argv[2];
	CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	uint32_t n = 0;
	CHECK(env, napi_get_array_length(env, argv[0], &n));
	if (n == 0 || n > ES_EVENT_TYPE_LAST) {
		napi_throw_range_error(env, NULL, "edrkit_macos: open() needs 1 to ES_EVENT_TYPE_LAST event types");
		return NULL;
	}
	es_event_type_t *types = calloc(n, sizeof *types);
	if (!types) {
		napi_throw_error(env, NULL, "edrkit_macos: out of memory");
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++) {
		napi_value el;
		int32_t t = -1;
		napi_get_element(env, argv[0], i, &el);
		napi_get_value_int32(env, el, &t);
		if (t < 0 || t >= ES_EVENT_TYPE_LAST || edr_es_event_name((es_event_type_t)t) == NULL) {
			free(types);
			napi_throw_range_error(env, NULL, "edrkit_macos: an event type the addon does not convert");
			return NULL;
		}
		types[i] = (es_event_type_t)t;
	}
	edr_client_t *c = calloc(1, sizeof *c);
	if (!c) {
		free(types);
		napi_throw_error(env, NULL, "edrkit_macos: out of memory");
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	napi_value name;
	napi_create_string_utf8(env, "edrkit_macos batch", NAPI_AUTO_LENGTH, &name);
	if (napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, NULL, NULL, c, deliver, &c->tsfn) != napi_ok) {
		free(types);
		free(c);
		napi_throw_error(env, NULL, "edrkit_macos: cannot create the batch callback");
		return NULL;
	}
	es_client_t *client = NULL;
	es_new_client_result_t r = es_new_client(&client, ^(es_client_t *cl, const es_message_t *msg) {
	  (void)cl;
	  on_message(c, msg);
	});
	if (r != ES_NEW_CLIENT_RESULT_SUCCESS) {
		free(types);
		napi_release_threadsafe_function(c->tsfn, napi_tsfn_abort);
		free(c);
		return result_object(env, 0, (int)r, "client", NULL);
	}
	c->client = client;
	/* Our own process is muted: what edrkit does to deliver events is not an event. */
	audit_token_t self;
	mach_msg_type_number_t count = TASK_AUDIT_TOKEN_COUNT;
	if (task_info(mach_task_self(), TASK_AUDIT_TOKEN, (task_info_t)&self, &count) == KERN_SUCCESS) es_mute_process(client, &self);
	if (es_subscribe(client, types, n) != ES_RETURN_SUCCESS) {
		free(types);
		es_delete_client(client);
		napi_release_threadsafe_function(c->tsfn, napi_tsfn_abort);
		free(c);
		return result_object(env, 0, -1, "subscribe", NULL);
	}
	free(types);
	/* The callback keeps the event loop alive while the client is open, as a live source should. */
	napi_value handle;
	CHECK(env, napi_create_external(env, c, finalize_client, NULL, &handle));
	return result_object(env, 1, 0, NULL, handle);
}

static napi_value close_client(napi_env env, napi_callback_info info) {
	size_t argc = 1;
	napi_value argv[1];
	CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
	edr_client_t *c = NULL;
	CHECK(env, napi_get_value_external(env, argv[0], (void **)&c));
	shut_down(c);
	return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
	napi_value fn;
	napi_create_function(env, "open", NAPI_AUTO_LENGTH, open_client, NULL, &fn);
	napi_set_named_property(env, exports, "open", fn);
	napi_create_function(env, "close", NAPI_AUTO_LENGTH, close_client, NULL, &fn);
	napi_set_named_property(env, exports, "close", fn);
	return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
