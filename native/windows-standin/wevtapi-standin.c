/*
 * A stand-in for wevtapi.dll's subscription functions and kernel32's GetLastError, for tests on
 * Linux only (never shipped), in the same library as the ETW stand-in. EvtSubscribe starts a
 * delivery thread per subscription that calls the subscription callback from that thread (as
 * the Event Log service's thread pool does) for each rendered event the test queued with
 * StandinQueueEventXml, or with the error action for StandinQueueSubscriptionError. EvtRender
 * renders an event handle as its XML (UTF-16), sizing the buffer first like the real call.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ERROR_ACCESS_DENIED 5
#define ERROR_INVALID_HANDLE 6
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_EVT_CHANNEL_NOT_FOUND 15007
#define EvtSubscribeActionError 0
#define EvtSubscribeActionDeliver 1
#define EvtRenderEventXml 1

typedef uint32_t (*EVT_SUBSCRIBE_CALLBACK)(uint32_t action, void *context, void *event);

struct item { struct item *next; uint32_t error; size_t length; uint16_t xml[]; };
struct subscription {
  uint16_t channel[256];
  EVT_SUBSCRIBE_CALLBACK callback;
  void *context;
  pthread_t thread;
  int closed;
  struct item *head, *tail;
  pthread_mutex_t lock;
  pthread_cond_t wake;
};

static __thread uint32_t last_error;
static struct subscription *subs[16];
static int sub_count;
static int delivered_xml;
static uint16_t denied_channel[256], missing_channel[256];

static size_t wlen(const uint16_t *s) { size_t n = 0; while (s && s[n]) n++; return n; }
static int weq(const uint16_t *a, const uint16_t *b) { size_t n = wlen(a); return n == wlen(b) && memcmp(a, b, n * 2) == 0; }
static void wcopy(uint16_t *d, const uint16_t *s) { size_t n = wlen(s); if (n > 255) n = 255; memcpy(d, s, n * 2); d[n] = 0; }

uint32_t GetLastError(void) { return last_error; }

static void *deliver(void *arg) {
  struct subscription *s = arg;
  for (;;) {
    pthread_mutex_lock(&s->lock);
    while (!s->head && !s->closed) pthread_cond_wait(&s->wake, &s->lock);
    struct item *it = s->head;
    if (it) { s->head = it->next; if (!s->head) s->tail = NULL; }
    int closed = s->closed;
    pthread_mutex_unlock(&s->lock);
    if (!it) { if (closed) return NULL; continue; }
    if (it->error) s->callback(EvtSubscribeActionError, s->context, (void *)(uintptr_t)it->error);
    else {
      s->callback(EvtSubscribeActionDeliver, s->context, it);
      __atomic_add_fetch(&delivered_xml, 1, __ATOMIC_SEQ_CST);
    }
    free(it);
  }
}

void *EvtSubscribe(void *session, void *signal, const uint16_t *channel, const uint16_t *query, void *bookmark, void *context, EVT_SUBSCRIBE_CALLBACK callback, uint32_t flags) {
  (void)session, (void)signal, (void)query, (void)bookmark, (void)flags;
  if (weq(channel, denied_channel)) { last_error = ERROR_ACCESS_DENIED; return NULL; }
  if (weq(channel, missing_channel) || sub_count >= 16) { last_error = ERROR_EVT_CHANNEL_NOT_FOUND; return NULL; }
  struct subscription *s = calloc(1, sizeof *s);
  wcopy(s->channel, channel);
  s->callback = callback;
  s->context = context;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->wake, NULL);
  subs[sub_count++] = s;
  pthread_create(&s->thread, NULL, deliver, s);
  last_error = 0;
  return s;
}

int EvtRender(void *context, void *fragment, uint32_t flags, uint32_t size, void *buffer, uint32_t *used, uint32_t *count) {
  (void)context;
  struct item *it = fragment;
  if (flags != EvtRenderEventXml || !it) { last_error = ERROR_INVALID_HANDLE; return 0; }
  uint32_t need = (uint32_t)((it->length + 1) * 2);
  *used = need;
  *count = 0;
  if (size < need || !buffer) { last_error = ERROR_INSUFFICIENT_BUFFER; return 0; }
  memcpy(buffer, it->xml, it->length * 2);
  ((uint16_t *)buffer)[it->length] = 0;
  return 1;
}

int EvtNext(void *results, uint32_t size, void **events, uint32_t timeout, uint32_t flags, uint32_t *returned) {
  (void)results, (void)size, (void)events, (void)timeout, (void)flags;
  *returned = 0;
  last_error = 259; /* ERROR_NO_MORE_ITEMS: subscriptions here are push (callback) mode */
  return 0;
}

/* Closing a subscription waits for its delivery thread, as the real call waits for callbacks. */
int EvtClose(void *handle) {
  for (int i = 0; i < sub_count; i++) {
    struct subscription *s = subs[i];
    if (s != handle || !s) continue;
    pthread_mutex_lock(&s->lock);
    s->closed = 1;
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    return 1;
  }
  return 1;
}

/* ---- test controls (not Win32) ---- */

void StandinEventLogReset(void) {
  for (int i = 0; i < sub_count; i++) if (subs[i]) EvtClose(subs[i]);
  sub_count = 0;
  delivered_xml = 0;
  denied_channel[0] = missing_channel[0] = 0;
}
void StandinDenyChannel(const uint16_t *channel) { wcopy(denied_channel, channel); }
void StandinMissingChannel(const uint16_t *channel) { wcopy(missing_channel, channel); }
int StandinSubscriptions(void) { return sub_count; }
int StandinDeliveredXml(void) { return __atomic_load_n(&delivered_xml, __ATOMIC_SEQ_CST); }

static void enqueue(const uint16_t *channel, struct item *it) {
  for (int i = 0; i < sub_count; i++) {
    struct subscription *s = subs[i];
    if (!weq(s->channel, channel)) continue;
    pthread_mutex_lock(&s->lock);
    if (s->tail) s->tail->next = it; else s->head = it;
    s->tail = it;
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
    return;
  }
  free(it);
}

void StandinQueueEventXml(const uint16_t *channel, const uint16_t *xml) {
  size_t n = wlen(xml);
  struct item *it = calloc(1, sizeof *it + (n + 1) * 2);
  it->length = n;
  memcpy(it->xml, xml, n * 2);
  enqueue(channel, it);
}

void StandinQueueSubscriptionError(const uint16_t *channel, uint32_t error) {
  struct item *it = calloc(1, sizeof *it);
  it->error = error;
  enqueue(channel, it);
}
