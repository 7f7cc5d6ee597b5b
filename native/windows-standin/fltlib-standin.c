/*
 * A stand-in for fltlib.dll's communication-port client calls and kernel32's CancelIoEx /
 * CloseHandle, for tests on Linux only (never shipped), in the same library as the ETW and
 * Event Log stand-ins. It plays a vendor minifilter: the test registers the port name and
 * queues message bodies; FilterGetMessage blocks (on the koffi worker thread that calls it)
 * until one is queued and writes FILTER_MESSAGE_HEADER + body; FilterReplyMessage records the
 * reply; CancelIoEx or CloseHandle ends a pending FilterGetMessage with
 * HRESULT_FROM_WIN32(ERROR_OPERATION_ABORTED), as the real port does.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_OK 0
#define HR_FILE_NOT_FOUND ((int32_t)0x80070002)
#define HR_ACCESS_DENIED ((int32_t)0x80070005)
#define HR_INVALID_HANDLE ((int32_t)0x80070006)
#define HR_INSUFFICIENT_BUFFER ((int32_t)0x8007007A)
#define HR_OPERATION_ABORTED ((int32_t)0x800703E3)

typedef struct { uint32_t ReplyLength; uint64_t MessageId; } FILTER_MESSAGE_HEADER;
typedef struct { int32_t Status; uint64_t MessageId; } FILTER_REPLY_HEADER;
_Static_assert(sizeof(FILTER_MESSAGE_HEADER) == 16, "x64 layout");

struct message { struct message *next; uint32_t length; uint8_t body[]; };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static uint16_t port_name[256];
static int port_open, cancelled, denied;
static uint64_t next_id = 1;
static struct message *head, *tail;
static uint64_t last_reply_id;
static uint32_t last_verdict, replies;
static uint32_t reply_length = 4;
static int port_token = 0x5eed;

static size_t wlen(const uint16_t *s) { size_t n = 0; while (s && s[n]) n++; return n; }
static int weq(const uint16_t *a, const uint16_t *b) { size_t n = wlen(a); return n == wlen(b) && memcmp(a, b, n * 2) == 0; }

int32_t FilterConnectCommunicationPort(const uint16_t *name, uint32_t options, const void *context, uint16_t context_size, void *security, void **port) {
  (void)options, (void)context, (void)context_size, (void)security;
  pthread_mutex_lock(&lock);
  int32_t hr = S_OK;
  if (!wlen(port_name) || !weq(name, port_name)) hr = HR_FILE_NOT_FOUND;
  else if (denied) hr = HR_ACCESS_DENIED;
  else { port_open = 1; cancelled = 0; *port = &port_token; }
  pthread_mutex_unlock(&lock);
  return hr;
}

int32_t FilterGetMessage(void *port, void *buffer, uint32_t size, void *overlapped) {
  (void)overlapped;
  if (port != &port_token) return HR_INVALID_HANDLE;
  pthread_mutex_lock(&lock);
  while (!head && !cancelled && port_open) pthread_cond_wait(&wake, &lock);
  if (cancelled || !port_open) { cancelled = 0; pthread_mutex_unlock(&lock); return HR_OPERATION_ABORTED; }
  struct message *m = head;
  if (sizeof(FILTER_MESSAGE_HEADER) + m->length > size) { pthread_mutex_unlock(&lock); return HR_INSUFFICIENT_BUFFER; }
  head = m->next;
  if (!head) tail = NULL;
  FILTER_MESSAGE_HEADER h = { reply_length ? (uint32_t)(sizeof(FILTER_REPLY_HEADER) + reply_length) : 0, next_id++ };
  pthread_mutex_unlock(&lock);
  memcpy(buffer, &h, sizeof h);
  memcpy((uint8_t *)buffer + sizeof h, m->body, m->length);
  free(m);
  return S_OK;
}

int32_t FilterReplyMessage(void *port, void *reply, uint32_t size) {
  if (port != &port_token) return HR_INVALID_HANDLE;
  if (size < sizeof(FILTER_REPLY_HEADER) + 4) return HR_INSUFFICIENT_BUFFER;
  pthread_mutex_lock(&lock);
  memcpy(&last_reply_id, (uint8_t *)reply + 8, 8);
  memcpy(&last_verdict, (uint8_t *)reply + sizeof(FILTER_REPLY_HEADER), 4);
  replies++;
  pthread_mutex_unlock(&lock);
  return S_OK;
}

int CancelIoEx(void *handle, void *overlapped) {
  (void)overlapped;
  if (handle != &port_token) return 0;
  pthread_mutex_lock(&lock);
  cancelled = 1;
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&lock);
  return 1;
}

int CloseHandle(void *handle) {
  if (handle != &port_token) return 1;
  pthread_mutex_lock(&lock);
  port_open = 0;
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&lock);
  return 1;
}

/* ---- test controls (not Win32) ---- */

void StandinPortReset(const uint16_t *name) {
  pthread_mutex_lock(&lock);
  size_t n = wlen(name); if (n > 255) n = 255;
  memcpy(port_name, name, n * 2); port_name[n] = 0;
  while (head) { struct message *x = head->next; free(head); head = x; }
  tail = NULL;
  port_open = cancelled = denied = 0;
  replies = last_verdict = 0; last_reply_id = 0; next_id = 1; reply_length = 4;
  pthread_mutex_unlock(&lock);
}
void StandinPortDeny(int deny) { denied = deny; }
int StandinPortOpen(void) { return port_open; }
uint32_t StandinPortReplies(void) { return replies; }
uint32_t StandinPortLastVerdict(void) { return last_verdict; }
uint64_t StandinPortLastReplyId(void) { return last_reply_id; }
void StandinPortQueue(const uint8_t *body, uint32_t length) {
  struct message *m = calloc(1, sizeof *m + length);
  m->length = length;
  memcpy(m->body, body, length);
  pthread_mutex_lock(&lock);
  if (tail) tail->next = m; else head = m;
  tail = m;
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&lock);
}
