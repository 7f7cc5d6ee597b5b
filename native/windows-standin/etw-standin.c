/*
 * A stand-in for the ETW functions of advapi32.dll, for tests on Linux only (never shipped).
 * It exports StartTraceW, ControlTraceW, EnableTraceEx2, OpenTraceW, ProcessTrace and
 * CloseTrace with the Win32 signatures and x64 struct layouts, so @edrkit/windows runs its
 * real koffi bindings against it: ProcessTrace blocks on the caller's (koffi worker) thread and
 * delivers real EVENT_RECORD structures, queued by the test with StandinQueueEvent, to the
 * EventRecordCallback that OpenTraceW was given, until ControlTraceW(STOP) ends the session.
 * Loss counters and failures (access denied, session limit, a stale session of the same name)
 * are set by the test through the Standin* functions.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t TRACEHANDLE;
typedef struct { uint32_t Data1; uint16_t Data2, Data3; uint8_t Data4[8]; } GUID;
typedef struct { uint16_t Id; uint8_t Version, Channel, Level, Opcode; uint16_t Task; uint64_t Keyword; } EVENT_DESCRIPTOR;
typedef struct {
  uint16_t Size, HeaderType, Flags, EventProperty;
  uint32_t ThreadId, ProcessId;
  int64_t TimeStamp;
  GUID ProviderId;
  EVENT_DESCRIPTOR EventDescriptor;
  uint64_t ProcessorTime;
  GUID ActivityId;
} EVENT_HEADER;
typedef struct { uint16_t ProcessorIndex, LoggerId; } ETW_BUFFER_CONTEXT;
typedef struct {
  EVENT_HEADER EventHeader;
  ETW_BUFFER_CONTEXT BufferContext;
  uint16_t ExtendedDataCount, UserDataLength;
  void *ExtendedData, *UserData, *UserContext;
} EVENT_RECORD;
typedef void (*EVENT_RECORD_CALLBACK)(EVENT_RECORD *);

_Static_assert(sizeof(EVENT_HEADER) == 80, "EVENT_HEADER is 80 bytes on x64");
_Static_assert(sizeof(EVENT_RECORD) == 112, "EVENT_RECORD is 112 bytes on x64");

/* Offsets in EVENT_TRACE_PROPERTIES and EVENT_TRACE_LOGFILEW (x64). */
#define PROPS_LOG_FILE_MODE 64
#define PROPS_EVENTS_LOST 88
#define PROPS_RT_BUFFERS_LOST 100
#define PROPS_LOGGER_NAME_OFFSET 116
#define LOGFILE_LOGGER_NAME 8
#define LOGFILE_PROCESS_TRACE_MODE 28
#define LOGFILE_EVENT_RECORD_CALLBACK 424

#define ERROR_SUCCESS 0
#define ERROR_ALREADY_EXISTS 183
#define ERROR_WMI_INSTANCE_NOT_FOUND 4201
#define MAX_NAME 256
#define MAX_PROVIDERS 32

struct queued { struct queued *next; EVENT_RECORD record; uint8_t data[]; };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct queued *head, *tail;
static uint16_t session_name[MAX_NAME], stale_name[MAX_NAME];
static int session_active, session_stopped, have_stale, stale_stops;
static uint32_t events_lost, buffers_lost, log_file_mode, trace_mode, fail_start;
static uint64_t next_handle = 0x10;
static TRACEHANDLE session_handle;
static EVENT_RECORD_CALLBACK callback;
static pthread_t starter_thread, process_trace_thread;
static int delivered;
static struct { GUID guid; uint64_t any; uint8_t level; } providers[MAX_PROVIDERS];
static int provider_count;

static size_t wlen(const uint16_t *s) { size_t n = 0; while (s && s[n]) n++; return n; }
static int weq(const uint16_t *a, const uint16_t *b) { size_t n = wlen(a); return n == wlen(b) && memcmp(a, b, n * 2) == 0; }
static void wcopy(uint16_t *d, const uint16_t *s) { size_t n = wlen(s); if (n >= MAX_NAME) n = MAX_NAME - 1; memcpy(d, s, n * 2); d[n] = 0; }
static void write_loss(void *props) {
  memcpy((uint8_t *)props + PROPS_EVENTS_LOST, &events_lost, 4);
  memcpy((uint8_t *)props + PROPS_RT_BUFFERS_LOST, &buffers_lost, 4);
}

uint32_t StartTraceW(TRACEHANDLE *handle, const uint16_t *name, void *props) {
  pthread_mutex_lock(&lock);
  uint32_t status = ERROR_SUCCESS;
  if (fail_start) status = fail_start, fail_start = 0;
  else if ((have_stale && weq(name, stale_name)) || (session_active && weq(name, session_name))) status = ERROR_ALREADY_EXISTS;
  else {
    uint32_t offset;
    memcpy(&offset, (uint8_t *)props + PROPS_LOGGER_NAME_OFFSET, 4);
    memcpy(&log_file_mode, (uint8_t *)props + PROPS_LOG_FILE_MODE, 4);
    wcopy(session_name, name);
    memcpy((uint8_t *)props + offset, name, (wlen(name) + 1) * 2); /* the OS copies the name there */
    session_active = 1;
    session_stopped = 0;
    session_handle = *handle = next_handle++;
    starter_thread = pthread_self();
  }
  pthread_mutex_unlock(&lock);
  return status;
}

uint32_t ControlTraceW(TRACEHANDLE handle, const uint16_t *name, void *props, uint32_t code) {
  pthread_mutex_lock(&lock);
  uint32_t status = ERROR_SUCCESS;
  if (handle == 0 && name && have_stale && weq(name, stale_name)) {
    if (code == 1) have_stale = 0, stale_stops++;
  } else if (session_active && (handle == session_handle || (handle == 0 && name && weq(name, session_name)))) {
    write_loss(props);
    if (code == 1) {
      session_active = 0;
      session_stopped = 1;
      pthread_cond_broadcast(&wake);
    }
  } else status = ERROR_WMI_INSTANCE_NOT_FOUND;
  pthread_mutex_unlock(&lock);
  return status;
}

uint32_t EnableTraceEx2(TRACEHANDLE handle, const GUID *provider, uint32_t code, uint8_t level, uint64_t any, uint64_t all, uint32_t timeout, void *params) {
  (void)code, (void)all, (void)timeout, (void)params;
  pthread_mutex_lock(&lock);
  uint32_t status = handle == session_handle && session_active ? ERROR_SUCCESS : 6 /* ERROR_INVALID_HANDLE */;
  if (status == ERROR_SUCCESS && provider_count < MAX_PROVIDERS) {
    providers[provider_count].guid = *provider;
    providers[provider_count].any = any;
    providers[provider_count].level = level;
    provider_count++;
  }
  pthread_mutex_unlock(&lock);
  return status;
}

TRACEHANDLE OpenTraceW(void *logfile) {
  const uint16_t *name;
  memcpy(&name, (uint8_t *)logfile + LOGFILE_LOGGER_NAME, sizeof name);
  pthread_mutex_lock(&lock);
  TRACEHANDLE h = ~(TRACEHANDLE)0;
  if (session_active && weq(name, session_name)) {
    memcpy(&trace_mode, (uint8_t *)logfile + LOGFILE_PROCESS_TRACE_MODE, 4);
    memcpy(&callback, (uint8_t *)logfile + LOGFILE_EVENT_RECORD_CALLBACK, sizeof callback);
    h = next_handle++;
  }
  pthread_mutex_unlock(&lock);
  return h;
}

/* Blocks until the session stops; calls the record callback from this (the caller's) thread. */
uint32_t ProcessTrace(TRACEHANDLE *handles, uint32_t count, void *start, void *end) {
  (void)handles, (void)count, (void)start, (void)end;
  process_trace_thread = pthread_self();
  for (;;) {
    pthread_mutex_lock(&lock);
    while (!head && !session_stopped) pthread_cond_wait(&wake, &lock);
    struct queued *q = head;
    if (q) {
      head = q->next;
      if (!head) tail = NULL;
    }
    EVENT_RECORD_CALLBACK cb = callback;
    pthread_mutex_unlock(&lock);
    if (!q) return ERROR_SUCCESS;
    q->record.UserData = q->record.UserDataLength ? q->data : NULL;
    if (cb) cb(&q->record);
    memset(q->data, 0xdd, q->record.UserDataLength); /* the buffer is only lent for the call */
    free(q);
    __atomic_add_fetch(&delivered, 1, __ATOMIC_SEQ_CST);
  }
}

uint32_t CloseTrace(TRACEHANDLE handle) { (void)handle; return ERROR_SUCCESS; }

/* ---- test controls (not Win32) ---- */

void StandinReset(void) {
  pthread_mutex_lock(&lock);
  while (head) { struct queued *n = head->next; free(head); head = n; }
  tail = NULL;
  session_active = session_stopped = have_stale = stale_stops = 0;
  events_lost = buffers_lost = log_file_mode = trace_mode = fail_start = 0;
  provider_count = 0;
  delivered = 0;
  callback = NULL;
  pthread_mutex_unlock(&lock);
}

void StandinAddStaleSession(const uint16_t *name) { pthread_mutex_lock(&lock); wcopy(stale_name, name); have_stale = 1; pthread_mutex_unlock(&lock); }
int StandinStaleStops(void) { return stale_stops; }
void StandinFailNextStart(uint32_t status) { fail_start = status; }
void StandinSetLoss(uint32_t events, uint32_t buffers) { pthread_mutex_lock(&lock); events_lost = events; buffers_lost = buffers; pthread_mutex_unlock(&lock); }
uint32_t StandinLogFileMode(void) { return log_file_mode; }
uint32_t StandinProcessTraceMode(void) { return trace_mode; }
int StandinSessionActive(void) { return session_active; }
int StandinDelivered(void) { return __atomic_load_n(&delivered, __ATOMIC_SEQ_CST); }
int StandinProviderCount(void) { return provider_count; }
/* Provider i: its GUID bytes (16) into out, the MatchAnyKeyword returned. */
uint64_t StandinProvider(int i, uint8_t *out) { memcpy(out, &providers[i].guid, 16); return providers[i].any; }
/* 1 when ProcessTrace ran on another thread than the one that started the session. */
int StandinProcessTraceOffStarterThread(void) { return !pthread_equal(process_trace_thread, starter_thread); }

/* Queue one event for ProcessTrace to deliver. */
void StandinQueueEvent(const uint8_t *provider, uint16_t id, uint8_t version, uint8_t opcode, uint32_t pid, uint32_t tid, int64_t filetime, uint16_t flags, const uint8_t *data, uint16_t length) {
  struct queued *q = calloc(1, sizeof *q + length);
  if (!q) return;
  q->record.EventHeader.Size = sizeof(EVENT_HEADER);
  q->record.EventHeader.Flags = flags;
  q->record.EventHeader.ThreadId = tid;
  q->record.EventHeader.ProcessId = pid;
  q->record.EventHeader.TimeStamp = filetime;
  memcpy(&q->record.EventHeader.ProviderId, provider, 16);
  q->record.EventHeader.EventDescriptor.Id = id;
  q->record.EventHeader.EventDescriptor.Version = version;
  q->record.EventHeader.EventDescriptor.Opcode = opcode;
  q->record.UserDataLength = length;
  if (length) memcpy(q->data, data, length);
  pthread_mutex_lock(&lock);
  if (tail) tail->next = q; else head = q;
  tail = q;
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&lock);
}
