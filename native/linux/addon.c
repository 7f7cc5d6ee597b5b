/*
 * edrkit Node-API addon: loads edrkit.bpf.o with libbpf and streams ring-buffer records to
 * JavaScript in batches. Order follows libbpf-bootstrap: open -> configure (rodata, map
 * sizes, autoload) -> load -> fill filter maps -> attach -> poll (own thread) -> destroy,
 * with one teardown path used by close(), the handle's GC finalizer and the env cleanup hook
 * (process exit, worker_threads termination).
 *
 * JS API (see packages/linux/src/native/load-addon.ts for the typed view):
 *   open(options) -> { handle, attached: string[], failed: {name, errno, message}[], progIds, mapIds }
 *   close(handle), drops(handle) -> number, coalesced(handle) -> number, clockOffsetNs() -> number, layout() -> object,
 *   libbpfVersion() -> string
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <node_api.h>

#include "edrkit.h"
/* The BPF object, embedded at build time (scripts/build-native.mjs): no file is read at run time. */
#include "edrkit_bpf_object.h"

#define BATCH_BYTES (1u << 20)  /* hand a batch to JS at 1 MiB even mid-poll */
#define POLL_MS 100
/*
 * After a poll returns records, wait this long for more before handing the batch to JS,
 * unless it already holds LINGER_BYTES. Without it, a steady stream arrives one or two
 * records per poll: every record cost a wakeup, a threadsafe call and a JS callback. While
 * records wait in the ring, the kernel does not wake us again (it wakes a consumer only
 * when it had caught up), so lingering saves wakeups too. Costs at most ~1 ms of latency.
 */
#define LINGER_US 1000
#define LINGER_BYTES (64u << 10)
#define TSFN_QUEUE 16           /* batches in flight; when full the poll thread waits and the kernel ring absorbs, then drops (counted) */
#define MAX_LINKS 128

/* ------------------------------------------------------------------ libbpf log capture */

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char log_buf[8192];
static size_t log_len;

static int capture_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	char *line = NULL;
	int n = vasprintf(&line, fmt, args);
	if (n <= 0 || !line)
		return 0;
	/* A verifier log arrives as one long message: its tail says what failed. */
	const char *p = line;
	if ((size_t)n >= sizeof(log_buf) / 2) {
		p = line + n - sizeof(log_buf) / 2 + 1;
		n = sizeof(log_buf) / 2 - 1;
	}
	pthread_mutex_lock(&log_mu);
	if (log_len + n >= sizeof(log_buf)) {
		size_t keep = sizeof(log_buf) / 2 - 1;
		if (keep > log_len)
			keep = log_len;
		memmove(log_buf, log_buf + log_len - keep, keep);
		log_len = keep;
	}
	memcpy(log_buf + log_len, p, n);
	log_len += n;
	log_buf[log_len] = 0;
	pthread_mutex_unlock(&log_mu);
	free(line);
	return 0;
}

static void log_reset(void)
{
	pthread_mutex_lock(&log_mu);
	log_len = 0;
	log_buf[0] = 0;
	pthread_mutex_unlock(&log_mu);
}

/* ------------------------------------------------------------------ state */

struct batch {
	size_t len;
	double drops;
	int err; /* poll error (negative errno), 0 normally */
	uint8_t data[];
};

struct sensor {
	struct bpf_object *obj;
	struct ring_buffer *rb;
	struct bpf_link *links[MAX_LINKS];
	int nlinks;
	int drops_fd;
	int coalesced_fd; /* edrkit_coalesced (coalesce.bpf.h) */
	int ncpus;
	napi_threadsafe_function tsfn;
	napi_env env;
	pthread_t thread;
	int thread_started;
	atomic_int stop;
	int torn_down;
	int refs; /* external finalizer + env cleanup hook */
	int hook_added;
	struct batch *cur;
};

/* Sum of a one-entry per-CPU counter map (drops, coalesced opens). */
static double read_percpu(struct sensor *s, int fd)
{
	if (fd < 0 || s->ncpus <= 0)
		return 0;
	__u64 vals[s->ncpus];
	__u32 zero = 0;
	if (bpf_map_lookup_elem(fd, &zero, vals) != 0)
		return 0;
	double sum = 0;
	for (int i = 0; i < s->ncpus; i++)
		sum += (double)vals[i];
	return sum;
}

static double read_drops(struct sensor *s)
{
	return read_percpu(s, s->drops_fd);
}

static struct batch *new_batch(void)
{
	struct batch *b = malloc(sizeof(*b) + BATCH_BYTES);
	if (b) {
		b->len = 0;
		b->drops = 0;
		b->err = 0;
	}
	return b;
}

/* Hand the current batch to JS (blocking when TSFN_QUEUE batches are in flight). */
static void flush_batch(struct sensor *s, int err)
{
	struct batch *b = s->cur;
	if (!b)
		return;
	b->drops = read_drops(s);
	b->err = err;
	s->cur = NULL;
	if (napi_call_threadsafe_function(s->tsfn, b, napi_tsfn_blocking) != napi_ok) {
		free(b);
		atomic_store(&s->stop, 1);
	}
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct sensor *s = ctx;
	size_t need = 8 + ((size + 7) & ~(size_t)7);
	if (need > BATCH_BYTES)
		return 0; /* larger than any edrkit record: cannot happen with a matching object */
	if (s->cur && s->cur->len + need > BATCH_BYTES)
		flush_batch(s, 0);
	if (atomic_load(&s->stop))
		return -1;
	if (!s->cur && !(s->cur = new_batch()))
		return -1;
	uint8_t *p = s->cur->data + s->cur->len;
	uint32_t len32 = (uint32_t)size, zero = 0;
	memcpy(p, &len32, 4);
	memcpy(p + 4, &zero, 4);
	memcpy(p + 8, data, size);
	memset(p + 8 + size, 0, need - 8 - size);
	s->cur->len += need;
	return 0;
}

static void *poll_main(void *arg)
{
	struct sensor *s = arg;
	double last_drops = 0;
	while (!atomic_load(&s->stop)) {
		int n = ring_buffer__poll(s->rb, POLL_MS);
		if (n > 0 && s->cur && s->cur->len < LINGER_BYTES && !atomic_load(&s->stop)) {
			usleep(LINGER_US);
			int more = ring_buffer__consume(s->rb);
			if (more < 0)
				n = more;
		}
		if (n < 0 && n != -EINTR) {
			if (!s->cur)
				s->cur = new_batch();
			flush_batch(s, n);
			break;
		}
		double d = read_drops(s);
		if (s->cur || d != last_drops) {
			if (!s->cur)
				s->cur = new_batch();
			last_drops = d;
			flush_batch(s, 0);
		}
	}
	free(s->cur);
	s->cur = NULL;
	return NULL;
}

/* Runs on the JS thread; env is NULL when the function is being torn down. */
static void call_js(napi_env env, napi_value cb, void *context, void *data)
{
	struct batch *b = data;
	(void)context;
	if (env && cb && b) {
		napi_value ab, argv[3], undef;
		void *dst;
		if (napi_create_arraybuffer(env, b->len, &dst, &ab) == napi_ok) {
			memcpy(dst, b->data, b->len);
			argv[0] = ab;
			napi_create_double(env, b->drops, &argv[1]);
			napi_create_int32(env, b->err, &argv[2]);
			napi_get_undefined(env, &undef);
			napi_call_function(env, undef, cb, 3, argv, NULL);
		}
	}
	free(b);
}

/* Detaching a tracepoint link waits for an RCU grace period (~70 ms here); one after the
 * other, 50+ links made close() take seconds. Detaching from several threads at once lets
 * the waits overlap, so teardown takes about one grace period per thread's share. */
#define DETACH_THREADS 16

struct detach_job {
	struct bpf_link **links;
	int n;
};

static void *detach_main(void *arg)
{
	struct detach_job *job = arg;
	for (int i = 0; i < job->n; i++)
		bpf_link__destroy(job->links[i]);
	return NULL;
}

static void destroy_links(struct bpf_link **links, int n)
{
	pthread_t threads[DETACH_THREADS];
	struct detach_job jobs[DETACH_THREADS];
	int started[DETACH_THREADS] = { 0 };
	int per = (n + DETACH_THREADS - 1) / DETACH_THREADS;
	for (int t = 0; t < DETACH_THREADS && per > 0; t++) {
		int from = t * per;
		if (from >= n)
			break;
		jobs[t].links = links + from;
		jobs[t].n = from + per <= n ? per : n - from;
		started[t] = pthread_create(&threads[t], NULL, detach_main, &jobs[t]) == 0;
		if (!started[t]) /* no thread: detach inline, still correct */
			detach_main(&jobs[t]);
	}
	for (int t = 0; t < DETACH_THREADS; t++)
		if (started[t])
			pthread_join(threads[t], NULL);
}

/* Fast half of teardown (JS thread): stop delivery. The poll thread wakes within POLL_MS. */
static void teardown_delivery(struct sensor *s)
{
	atomic_store(&s->stop, 1);
	if (s->tsfn) /* wakes a poll thread blocked on a full queue (it gets napi_closing) */
		napi_release_threadsafe_function(s->tsfn, napi_tsfn_abort);
	if (s->thread_started)
		pthread_join(s->thread, NULL);
	s->tsfn = NULL;
	ring_buffer__free(s->rb);
	s->rb = NULL;
}

/* Slow half (any thread): detach and unload. Nothing of ours stays in the kernel after it. */
static void teardown_kernel(struct sensor *s)
{
	destroy_links(s->links, s->nlinks);
	s->nlinks = 0;
	bpf_object__close(s->obj); /* closes every program and map fd: nothing stays loaded */
	s->obj = NULL;
}

static void teardown(struct sensor *s)
{
	if (s->torn_down)
		return;
	s->torn_down = 1;
	teardown_delivery(s);
	teardown_kernel(s);
}

static void unref(struct sensor *s)
{
	if (--s->refs == 0)
		free(s);
}

static void cleanup_hook(void *arg)
{
	struct sensor *s = arg;
	s->hook_added = 0;
	teardown(s);
	unref(s);
}

static void finalize_handle(napi_env env, void *data, void *hint)
{
	struct sensor *s = data;
	(void)hint;
	int refs = 1;
	if (s->hook_added) {
		napi_remove_env_cleanup_hook(env, cleanup_hook, s);
		s->hook_added = 0;
		refs++;
	}
	teardown(s); /* the handle was dropped without close(): do not leave programs attached */
	s->refs -= refs;
	if (s->refs <= 0)
		free(s);
}

/* ------------------------------------------------------------------ helpers */

#define NAPI_CHECK(env, call)                                              \
	do {                                                               \
		if ((call) != napi_ok) {                                   \
			napi_throw_error((env), "ERR_BACKEND_FAILED", #call); \
			return NULL;                                       \
		}                                                          \
	} while (0)

static napi_value throw_errno(napi_env env, const char *stage, int err, const char *what)
{
	char msg[9000];
	pthread_mutex_lock(&log_mu);
	snprintf(msg, sizeof(msg), "%s: %s (errno %d)%s%s", what, strerror(err), err, log_len ? "\nlibbpf: " : "", log_buf);
	pthread_mutex_unlock(&log_mu);
	napi_value e, m, code, v;
	napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m);
	napi_create_string_utf8(env, err == EPERM || err == EACCES ? "EPERM" : "EBPF", NAPI_AUTO_LENGTH, &code);
	napi_create_error(env, code, m, &e);
	napi_create_int32(env, err, &v);
	napi_set_named_property(env, e, "errno", v);
	napi_create_string_utf8(env, stage, NAPI_AUTO_LENGTH, &v);
	napi_set_named_property(env, e, "stage", v);
	napi_throw(env, e);
	return NULL;
}

static int get_u32(napi_env env, napi_value obj, const char *key, uint32_t *out)
{
	napi_value v;
	bool has = false;
	if (napi_has_named_property(env, obj, key, &has) != napi_ok || !has)
		return 0;
	if (napi_get_named_property(env, obj, key, &v) != napi_ok)
		return -1;
	return napi_get_value_uint32(env, v, out) == napi_ok ? 1 : -1;
}

static int get_array(napi_env env, napi_value obj, const char *key, napi_value *arr, uint32_t *len)
{
	bool has = false, is_arr = false;
	*len = 0;
	if (napi_has_named_property(env, obj, key, &has) != napi_ok || !has)
		return 0;
	if (napi_get_named_property(env, obj, key, arr) != napi_ok || napi_is_array(env, *arr, &is_arr) != napi_ok || !is_arr)
		return -1;
	return napi_get_array_length(env, *arr, len) == napi_ok ? 1 : -1;
}

static int fill_u32_map(napi_env env, struct bpf_object *obj, napi_value opts, const char *key, const char *map_name)
{
	napi_value arr, v;
	uint32_t n;
	if (get_array(env, opts, key, &arr, &n) <= 0)
		return 0;
	int fd = bpf_object__find_map_fd_by_name(obj, map_name);
	if (fd < 0)
		return -ENOENT;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t id;
		__u8 one = 1;
		if (napi_get_element(env, arr, i, &v) != napi_ok || napi_get_value_uint32(env, v, &id) != napi_ok)
			return -EINVAL;
		if (bpf_map_update_elem(fd, &id, &one, BPF_ANY) != 0)
			return -errno;
	}
	return 0;
}

/* Part B: watched directory inode numbers (opts.watchDirInodes) for close-after-write. */
static int fill_inode_map(napi_env env, struct bpf_object *obj, napi_value opts)
{
	napi_value arr, v;
	uint32_t n;
	if (get_array(env, opts, "watchDirInodes", &arr, &n) <= 0)
		return 0;
	int fd = bpf_object__find_map_fd_by_name(obj, "edrkit_cw_dirs");
	if (fd < 0)
		return -ENOENT;
	for (uint32_t i = 0; i < n; i++) {
		int64_t ino;
		__u64 key;
		__u8 one = 1;
		if (napi_get_element(env, arr, i, &v) != napi_ok || napi_get_value_int64(env, v, &ino) != napi_ok || ino < 0)
			return -EINVAL;
		key = (__u64)ino;
		if (bpf_map_update_elem(fd, &key, &one, BPF_ANY) != 0)
			return -errno;
	}
	return 0;
}

static int fill_name_map(napi_env env, struct bpf_object *obj, napi_value opts)
{
	napi_value arr, v;
	uint32_t n;
	if (get_array(env, opts, "names", &arr, &n) <= 0)
		return 0;
	int fd = bpf_object__find_map_fd_by_name(obj, "edrkit_name_inc");
	if (fd < 0)
		return -ENOENT;
	for (uint32_t i = 0; i < n; i++) {
		char key[EDRKIT_COMM_LEN] = {0};
		size_t got;
		__u8 one = 1;
		if (napi_get_element(env, arr, i, &v) != napi_ok ||
		    napi_get_value_string_utf8(env, v, key, sizeof(key), &got) != napi_ok)
			return -EINVAL;
		if (bpf_map_update_elem(fd, key, &one, BPF_ANY) != 0)
			return -errno;
	}
	return 0;
}

/* Find the offset of a global variable inside its data section (e.g. .rodata) via BTF. */
static long var_offset(struct bpf_object *obj, const char *sec, const char *var)
{
	struct btf *btf = bpf_object__btf(obj);
	if (!btf)
		return -1;
	int id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	if (id < 0)
		return -1;
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_var_secinfo *vs = btf_var_secinfos(t);
	for (int i = 0; i < btf_vlen(t); i++, vs++) {
		const struct btf_type *vt = btf__type_by_id(btf, vs->type);
		if (strcmp(btf__name_by_offset(btf, vt->name_off), var) == 0)
			return vs->offset;
	}
	return -1;
}

/*
 * filter.exe prefixes (opts.exePrefixes, only when every entry is a plain prefix) into the
 * .rodata arrays edrkit_exe_pfx / edrkit_exe_pfx_len, before load. Returns 0 or an errno.
 */
static int set_exe_prefixes(napi_env env, struct bpf_object *obj, napi_value opts, void *rdata, size_t rsz)
{
	napi_value arr, v;
	uint32_t n;
	if (get_array(env, opts, "exePrefixes", &arr, &n) <= 0)
		return 0;
	if (n > EDRKIT_EXE_PREFIXES)
		return EINVAL;
	long soff = var_offset(obj, ".rodata", "edrkit_exe_pfx");
	long loff = var_offset(obj, ".rodata", "edrkit_exe_pfx_len");
	if (soff < 0 || loff < 0 || (size_t)soff + EDRKIT_EXE_PREFIXES * EDRKIT_EXE_PREFIX_LEN > rsz ||
	    (size_t)loff + EDRKIT_EXE_PREFIXES * sizeof(__u32) > rsz)
		return ENOENT;
	for (uint32_t i = 0; i < n; i++) {
		char buf[EDRKIT_EXE_PREFIX_LEN + 1] = {0};
		size_t got;
		if (napi_get_element(env, arr, i, &v) != napi_ok ||
		    napi_get_value_string_utf8(env, v, buf, sizeof(buf), &got) != napi_ok || got == 0 ||
		    got >= EDRKIT_EXE_PREFIX_LEN)
			return EINVAL;
		__u32 len = got;
		memcpy((char *)rdata + soff + i * EDRKIT_EXE_PREFIX_LEN, buf, got + 1);
		memcpy((char *)rdata + loff + i * sizeof(__u32), &len, sizeof(len));
	}
	return 0;
}

/*
 * uprobeTargets: [{ prefix, path }]. The sections of probes-b.bpf.h name a default file
 * (Debian x86-64 paths); where the backend found the library or binary elsewhere (another
 * distribution, arm64), the programs whose names start with the prefix attach to that path,
 * with the function and the return flag still taken from the section.
 */
static bool uprobe_target(napi_env env, napi_value opts, const char *name, char *path, size_t size)
{
	napi_value arr, t, v;
	uint32_t n;
	if (get_array(env, opts, "uprobeTargets", &arr, &n) <= 0)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		char prefix[64];
		size_t got;
		if (napi_get_element(env, arr, i, &t) != napi_ok || napi_get_named_property(env, t, "prefix", &v) != napi_ok ||
		    napi_get_value_string_utf8(env, v, prefix, sizeof(prefix), &got) != napi_ok || strncmp(name, prefix, got) != 0)
			continue;
		if (napi_get_named_property(env, t, "path", &v) != napi_ok ||
		    napi_get_value_string_utf8(env, v, path, size, &got) != napi_ok || got == 0 || got >= size - 1)
			return false;
		return true;
	}
	return false;
}

static struct bpf_link *attach_uprobe_at(struct bpf_program *prog, const char *path)
{
	const char *sec = bpf_program__section_name(prog);
	const char *func = sec ? strrchr(sec, ':') : NULL;
	if (!func || !func[1]) {
		errno = EINVAL;
		return NULL;
	}
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = func + 1, .retprobe = strncmp(sec, "uretprobe", 9) == 0);
	return bpf_program__attach_uprobe_opts(prog, -1, path, 0, &uo);
}

static bool name_disabled(napi_env env, napi_value opts, const char *name)
{
	napi_value arr, v;
	uint32_t n;
	if (get_array(env, opts, "disable", &arr, &n) <= 0)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		char prefix[64];
		size_t got;
		if (napi_get_element(env, arr, i, &v) == napi_ok &&
		    napi_get_value_string_utf8(env, v, prefix, sizeof(prefix), &got) == napi_ok &&
		    strncmp(name, prefix, got) == 0)
			return true;
	}
	return false;
}

/*
 * Whether a syscall tracepoint program has its syscall on this kernel. The programs cover every
 * syscall of x86-64, but other architectures lack the legacy ones (arm64 has no open, creat,
 * unlink, rename, mkdir, rmdir, chmod, chown, lchown, symlink or dup2: its libc calls openat,
 * unlinkat, renameat2, ... instead, which the programs cover as well). Such a program could
 * never attach, and no process can make its syscall, so it is not loaded at all and reported
 * as `absent` rather than as a failure. Only when the kernel has syscall tracepoints at all
 * (events/syscalls exists in tracefs): without them every program fails to attach, which
 * must be reported. Other sections (raw tracepoints, uprobes) always count as present.
 */
static bool syscall_tracepoint_absent(const char *section)
{
	static const char prefix[] = "tracepoint/syscalls/";
	static const char *const roots[] = { "/sys/kernel/tracing/events/syscalls", "/sys/kernel/debug/tracing/events/syscalls" };
	if (!section || strncmp(section, prefix, sizeof(prefix) - 1) != 0)
		return false;
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		if (access(roots[i], F_OK) != 0)
			continue;
		char file[512];
		snprintf(file, sizeof(file), "%s/%s", roots[i], section + sizeof(prefix) - 1);
		return access(file, F_OK) != 0 && errno == ENOENT;
	}
	return false;
}

/* ------------------------------------------------------------------ open / close */

static napi_value js_open(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value opts, cb;
	NAPI_CHECK(env, napi_get_cb_info(env, info, &argc, &opts, NULL, NULL));
	char path[4096] = "";
	size_t path_len = 0;
	napi_value v;
	napi_valuetype path_type;
	NAPI_CHECK(env, napi_get_named_property(env, opts, "objectPath", &v));
	NAPI_CHECK(env, napi_typeof(env, v, &path_type));
	if (path_type != napi_undefined)
		NAPI_CHECK(env, napi_get_value_string_utf8(env, v, path, sizeof(path), &path_len));
	NAPI_CHECK(env, napi_get_named_property(env, opts, "onBatch", &cb));
	struct edrkit_config cfg = {0};
	uint32_t ring = 0;
	if (get_u32(env, opts, "kinds", &cfg.kinds) < 0 || get_u32(env, opts, "filterFlags", &cfg.filter_flags) < 0 ||
	    get_u32(env, opts, "selfTgid", &cfg.self_tgid) < 0 || get_u32(env, opts, "ringBytes", &ring) < 0 ||
	    get_u32(env, opts, "coalesceMs", &cfg.coalesce_ms) < 0) {
		napi_throw_type_error(env, "ERR_INVALID_ARGUMENT", "kinds, filterFlags, selfTgid, ringBytes, coalesceMs must be uint32");
		return NULL;
	}

	log_reset();
	libbpf_set_print(capture_print);
	struct sensor *s = calloc(1, sizeof(*s));
	if (!s)
		return throw_errno(env, "open", ENOMEM, "allocating the sensor");
	s->drops_fd = -1;
	s->coalesced_fd = -1;
	s->env = env;
	s->refs = 1;
	napi_value result = NULL;
	int err;
	const char *stage = "open";
	char what[4400];

	/* No objectPath opens the embedded object; a path (tests, a custom build) opens that file. */
	if (path_len == 0) {
		LIBBPF_OPTS(bpf_object_open_opts, mem_opts, .object_name = "edrkit.bpf.o");
		snprintf(path, sizeof(path), "(embedded edrkit.bpf.o)");
		s->obj = bpf_object__open_mem(edrkit_bpf_object, sizeof(edrkit_bpf_object), &mem_opts);
	} else
		s->obj = bpf_object__open_file(path, NULL);
	if (!s->obj) {
		err = errno;
		snprintf(what, sizeof(what), "opening BPF object %s", path);
		goto fail;
	}
	stage = "configure";
	struct bpf_map *rodata = NULL, *m;
	bpf_object__for_each_map(m, s->obj)
	{
		const char *n = bpf_map__name(m);
		size_t l = strlen(n);
		if (l >= 7 && strcmp(n + l - 7, ".rodata") == 0)
			rodata = m;
	}
	long off = var_offset(s->obj, ".rodata", "edrkit_cfg");
	size_t rsz = 0;
	void *rdata = rodata ? (void *)bpf_map__initial_value(rodata, &rsz) : NULL;
	if (!rdata || off < 0 || (size_t)off + sizeof(cfg) > rsz) {
		err = ENOENT;
		snprintf(what, sizeof(what), "%s has no edrkit_cfg in .rodata (stale or foreign object)", path);
		goto fail;
	}
	memcpy((char *)rdata + off, &cfg, sizeof(cfg));
	if ((err = set_exe_prefixes(env, s->obj, opts, rdata, rsz)) != 0) {
		snprintf(what, sizeof(what), "setting filter.exe prefixes (at most %d, each under %d bytes) in %s", EDRKIT_EXE_PREFIXES,
			 EDRKIT_EXE_PREFIX_LEN, path);
		goto fail;
	}
	if (ring) {
		struct bpf_map *events = bpf_object__find_map_by_name(s->obj, "edrkit_events");
		if (!events || (err = -bpf_map__set_max_entries(events, ring)) != 0) {
			err = events ? err : ENOENT;
			snprintf(what, sizeof(what), "setting ring buffer size %u (must be a power of two multiple of the page size)", ring);
			goto fail;
		}
	}
	struct bpf_program *prog;
	napi_value absent;
	uint32_t nabsent = 0;
	if (napi_create_array(env, &absent) != napi_ok) {
		err = ENOMEM;
		snprintf(what, sizeof(what), "creating the list of absent programs");
		goto fail;
	}
	bpf_object__for_each_program(prog, s->obj)
	{
		if (name_disabled(env, opts, bpf_program__name(prog))) {
			bpf_program__set_autoload(prog, false);
		} else if (syscall_tracepoint_absent(bpf_program__section_name(prog))) {
			bpf_program__set_autoload(prog, false);
			napi_value name;
			napi_create_string_utf8(env, bpf_program__name(prog), NAPI_AUTO_LENGTH, &name);
			napi_set_element(env, absent, nabsent++, name);
		}
	}

	stage = "load";
	if ((err = -bpf_object__load(s->obj)) != 0) {
		snprintf(what, sizeof(what), "loading BPF programs from %s", path);
		goto fail;
	}
	stage = "maps";
	if ((err = -fill_u32_map(env, s->obj, opts, "pidInclude", "edrkit_pid_inc")) ||
	    (err = -fill_u32_map(env, s->obj, opts, "pidExclude", "edrkit_pid_exc")) ||
	    (err = -fill_u32_map(env, s->obj, opts, "uidInclude", "edrkit_uid_inc")) ||
	    (err = -fill_u32_map(env, s->obj, opts, "uidExclude", "edrkit_uid_exc")) ||
	    (err = -fill_name_map(env, s->obj, opts)) || (err = -fill_inode_map(env, s->obj, opts))) {
		snprintf(what, sizeof(what), "filling filter maps");
		goto fail;
	}
	s->drops_fd = bpf_object__find_map_fd_by_name(s->obj, "edrkit_drops");
	s->coalesced_fd = bpf_object__find_map_fd_by_name(s->obj, "edrkit_coalesced");
	s->ncpus = libbpf_num_possible_cpus();

	stage = "attach";
	napi_value attached, failed;
	uint32_t na = 0, nf = 0;
	NAPI_CHECK(env, napi_create_array(env, &attached));
	NAPI_CHECK(env, napi_create_array(env, &failed));
	bpf_object__for_each_program(prog, s->obj)
	{
		if (!bpf_program__autoload(prog))
			continue;
		napi_value name;
		napi_create_string_utf8(env, bpf_program__name(prog), NAPI_AUTO_LENGTH, &name);
		char upath[4096];
		struct bpf_link *link = NULL;
		errno = 0;
		if (s->nlinks < MAX_LINKS && uprobe_target(env, opts, bpf_program__name(prog), upath, sizeof(upath)))
			link = attach_uprobe_at(prog, upath);
		else if (s->nlinks < MAX_LINKS)
			link = bpf_program__attach(prog);
		if (!link) {
			int e = errno ? errno : ENOSPC;
			napi_value f, ev, msg;
			napi_create_object(env, &f);
			napi_set_named_property(env, f, "name", name);
			napi_create_int32(env, e, &ev);
			napi_set_named_property(env, f, "errno", ev);
			napi_create_string_utf8(env, strerror(e), NAPI_AUTO_LENGTH, &msg);
			napi_set_named_property(env, f, "message", msg);
			napi_set_element(env, failed, nf++, f);
			continue;
		}
		s->links[s->nlinks++] = link;
		napi_set_element(env, attached, na++, name);
	}
	/* Kernel ids of our programs and maps, so callers (tests, doctor) can find exactly ours. */
	napi_value prog_ids, map_ids, idv;
	uint32_t np = 0, nm = 0;
	NAPI_CHECK(env, napi_create_array(env, &prog_ids));
	NAPI_CHECK(env, napi_create_array(env, &map_ids));
	bpf_object__for_each_program(prog, s->obj)
	{
		struct bpf_prog_info pinfo;
		__u32 plen = sizeof(pinfo);
		memset(&pinfo, 0, sizeof(pinfo));
		if (bpf_program__fd(prog) >= 0 && bpf_obj_get_info_by_fd(bpf_program__fd(prog), &pinfo, &plen) == 0) {
			napi_create_uint32(env, pinfo.id, &idv);
			napi_set_element(env, prog_ids, np++, idv);
		}
	}
	bpf_object__for_each_map(m, s->obj)
	{
		struct bpf_map_info minfo;
		__u32 mlen = sizeof(minfo);
		memset(&minfo, 0, sizeof(minfo));
		if (bpf_map__fd(m) >= 0 && bpf_obj_get_info_by_fd(bpf_map__fd(m), &minfo, &mlen) == 0) {
			napi_create_uint32(env, minfo.id, &idv);
			napi_set_element(env, map_ids, nm++, idv);
		}
	}

	stage = "ringbuf";
	s->rb = ring_buffer__new(bpf_object__find_map_fd_by_name(s->obj, "edrkit_events"), on_record, s, NULL);
	if (!s->rb) {
		err = errno;
		snprintf(what, sizeof(what), "creating the ring buffer consumer");
		goto fail;
	}
	napi_value res_name;
	NAPI_CHECK(env, napi_create_string_utf8(env, "edrkit-linux-ringbuf", NAPI_AUTO_LENGTH, &res_name));
	if (napi_create_threadsafe_function(env, cb, NULL, res_name, TSFN_QUEUE, 1, NULL, NULL, NULL, call_js, &s->tsfn) != napi_ok) {
		err = EINVAL;
		snprintf(what, sizeof(what), "creating the threadsafe callback");
		goto fail;
	}
	if ((err = pthread_create(&s->thread, NULL, poll_main, s)) != 0) {
		snprintf(what, sizeof(what), "starting the poll thread");
		goto fail;
	}
	s->thread_started = 1;
	if (napi_add_env_cleanup_hook(env, cleanup_hook, s) == napi_ok) {
		s->hook_added = 1;
		s->refs++;
	}

	napi_value handle;
	NAPI_CHECK(env, napi_create_object(env, &result));
	NAPI_CHECK(env, napi_create_external(env, s, finalize_handle, NULL, &handle));
	napi_set_named_property(env, result, "handle", handle);
	napi_set_named_property(env, result, "attached", attached);
	napi_set_named_property(env, result, "failed", failed);
	napi_set_named_property(env, result, "absent", absent);
	napi_set_named_property(env, result, "progIds", prog_ids);
	napi_set_named_property(env, result, "mapIds", map_ids);
	return result;

fail:
	teardown(s);
	free(s);
	return throw_errno(env, stage, err, what);
}

static struct sensor *get_sensor(napi_env env, napi_callback_info info)
{
	size_t argc = 1;
	napi_value h;
	void *p = NULL;
	if (napi_get_cb_info(env, info, &argc, &h, NULL, NULL) != napi_ok || argc < 1 ||
	    napi_get_value_external(env, h, &p) != napi_ok) {
		napi_throw_type_error(env, "ERR_INVALID_ARGUMENT", "expected a sensor handle");
		return NULL;
	}
	return p;
}

static napi_value js_close(napi_env env, napi_callback_info info)
{
	struct sensor *s = get_sensor(env, info);
	if (!s)
		return NULL;
	if (s->hook_added) {
		napi_remove_env_cleanup_hook(env, cleanup_hook, s);
		s->hook_added = 0;
		teardown(s);
		unref(s);
	}
	teardown(s);
	return NULL;
}

/* closeAsync(handle) -> Promise<void>: the kernel half of teardown runs on the libuv pool,
 * so detaching dozens of tracepoints (one RCU grace period each) never blocks the event loop. */
struct close_work {
	struct sensor *s;
	napi_async_work work;
	napi_deferred deferred;
};

static void close_execute(napi_env env, void *data)
{
	(void)env;
	teardown_kernel(((struct close_work *)data)->s);
}

static void close_complete(napi_env env, napi_status status, void *data)
{
	struct close_work *w = data;
	napi_value undef;
	(void)status;
	napi_get_undefined(env, &undef);
	napi_resolve_deferred(env, w->deferred, undef);
	napi_delete_async_work(env, w->work);
	unref(w->s);
	free(w);
}

static napi_value js_close_async(napi_env env, napi_callback_info info)
{
	struct sensor *s = get_sensor(env, info);
	napi_value promise, name, undef;
	napi_deferred deferred;
	if (!s)
		return NULL;
	NAPI_CHECK(env, napi_create_promise(env, &deferred, &promise));
	if (s->hook_added) {
		napi_remove_env_cleanup_hook(env, cleanup_hook, s);
		s->hook_added = 0;
		s->refs--; /* the hook's reference; the handle still holds one */
	}
	if (s->torn_down) {
		napi_get_undefined(env, &undef);
		napi_resolve_deferred(env, deferred, undef);
		return promise;
	}
	s->torn_down = 1;
	teardown_delivery(s);
	struct close_work *w = calloc(1, sizeof(*w));
	if (!w) {
		teardown_kernel(s);
		napi_get_undefined(env, &undef);
		napi_resolve_deferred(env, deferred, undef);
		return promise;
	}
	w->s = s;
	w->deferred = deferred;
	s->refs++; /* held by the work until close_complete */
	NAPI_CHECK(env, napi_create_string_utf8(env, "edrkit:close", NAPI_AUTO_LENGTH, &name));
	if (napi_create_async_work(env, NULL, name, close_execute, close_complete, w, &w->work) != napi_ok ||
	    napi_queue_async_work(env, w->work) != napi_ok) {
		teardown_kernel(s); /* could not queue: do it here, still correct */
		s->refs--;
		free(w);
		napi_get_undefined(env, &undef);
		napi_resolve_deferred(env, deferred, undef);
	}
	return promise;
}

static napi_value js_drops(napi_env env, napi_callback_info info)
{
	struct sensor *s = get_sensor(env, info);
	napi_value v;
	if (!s)
		return NULL;
	napi_create_double(env, s->torn_down ? 0 : read_drops(s), &v);
	return v;
}

static napi_value js_coalesced(napi_env env, napi_callback_info info)
{
	struct sensor *s = get_sensor(env, info);
	napi_value v;
	if (!s)
		return NULL;
	napi_create_double(env, s->torn_down ? 0 : read_percpu(s, s->coalesced_fd), &v);
	return v;
}

/* Nanoseconds to add to CLOCK_BOOTTIME to get CLOCK_REALTIME (both read back to back). */
static napi_value js_clock_offset(napi_env env, napi_callback_info info)
{
	(void)info;
	struct timespec b1, r, b2;
	clock_gettime(CLOCK_BOOTTIME, &b1);
	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_BOOTTIME, &b2);
	int64_t boot = ((int64_t)b1.tv_sec * 1000000000 + b1.tv_nsec + (int64_t)b2.tv_sec * 1000000000 + b2.tv_nsec) / 2;
	int64_t real = (int64_t)r.tv_sec * 1000000000 + r.tv_nsec;
	napi_value v;
	napi_create_double(env, (double)(real - boot), &v);
	return v;
}

static napi_value js_libbpf_version(napi_env env, napi_callback_info info)
{
	(void)info;
	napi_value v;
	napi_create_string_utf8(env, libbpf_version_string(), NAPI_AUTO_LENGTH, &v);
	return v;
}

/* sizeof/offsetof of the record contract as the host compiler sees it (header drift test). */
static napi_value js_layout(napi_env env, napi_callback_info info)
{
	(void)info;
	napi_value o, v;
	napi_create_object(env, &o);
#define L(name, value)                                   \
	napi_create_uint32(env, (uint32_t)(value), &v); \
	napi_set_named_property(env, o, name, v);
#define F(type, field) L(#type "." #field, offsetof(struct type, field))
#define S(type) L(#type, sizeof(struct type))
	L("EDRKIT_ABI_VERSION", EDRKIT_ABI_VERSION)
	S(edrkit_config) F(edrkit_config, kinds) F(edrkit_config, filter_flags) F(edrkit_config, self_tgid)
	F(edrkit_config, coalesce_ms)
	S(edrkit_hdr) F(edrkit_hdr, type) F(edrkit_hdr, abi) F(edrkit_hdr, size) F(edrkit_hdr, ts_ns)
	F(edrkit_hdr, start_ns) F(edrkit_hdr, cgroup_id) F(edrkit_hdr, pid) F(edrkit_hdr, tid) F(edrkit_hdr, ppid)
	F(edrkit_hdr, uid) F(edrkit_hdr, gid) F(edrkit_hdr, flags) F(edrkit_hdr, comm)
	S(edrkit_path) F(edrkit_path, flags) F(edrkit_path, depth) F(edrkit_path, raw_len) F(edrkit_path, dentry_len)
	S(edrkit_exec_rec) F(edrkit_exec_rec, exe) F(edrkit_exec_rec, cwd) F(edrkit_exec_rec, cgroup_len)
	F(edrkit_exec_rec, args_len)
	S(edrkit_fork_rec) F(edrkit_fork_rec, child_pid) F(edrkit_fork_rec, child_start_ns)
	S(edrkit_exit_rec) F(edrkit_exit_rec, exit_code)
	S(edrkit_file_rec) F(edrkit_file_rec, op) F(edrkit_file_rec, ret) F(edrkit_file_rec, open_flags)
	F(edrkit_file_rec, fmode) F(edrkit_file_rec, mode) F(edrkit_file_rec, owner_uid) F(edrkit_file_rec, owner_gid)
	F(edrkit_file_rec, repeat) F(edrkit_file_rec, path) F(edrkit_file_rec, path2)
	S(edrkit_net_rec) F(edrkit_net_rec, op) F(edrkit_net_rec, ret) F(edrkit_net_rec, family)
	F(edrkit_net_rec, protocol) F(edrkit_net_rec, lport) F(edrkit_net_rec, rport) F(edrkit_net_rec, laddr)
	F(edrkit_net_rec, raddr)
	S(edrkit_dns_rec) F(edrkit_dns_rec, family) F(edrkit_dns_rec, rport) F(edrkit_dns_rec, len)
	F(edrkit_dns_rec, raddr)
	S(edrkit_kmod_rec) F(edrkit_kmod_rec, path)
	S(edrkit_image_rec) F(edrkit_image_rec, prot) F(edrkit_image_rec, flags) F(edrkit_image_rec, path)
	/* part A (issue 14a) */
	S(edrkit_access_rec) F(edrkit_access_rec, op) F(edrkit_access_rec, request) F(edrkit_access_rec, target)
	F(edrkit_access_rec, ret) F(edrkit_access_rec, addr) F(edrkit_access_rec, path)
	S(edrkit_bpf_rec) F(edrkit_bpf_rec, op) F(edrkit_bpf_rec, ret) F(edrkit_bpf_rec, prog_type)
	F(edrkit_bpf_rec, attach_type) F(edrkit_bpf_rec, insn_cnt) F(edrkit_bpf_rec, prog_id) F(edrkit_bpf_rec, tag)
	F(edrkit_bpf_rec, name) F(edrkit_bpf_rec, target_len)
	/* part B (issue 14b) */
	S(edrkit_cw_rec) F(edrkit_cw_rec, dir_ino) F(edrkit_cw_rec, ino) F(edrkit_cw_rec, reason) F(edrkit_cw_rec, name_len)
	S(edrkit_line_rec) F(edrkit_line_rec, len)
	S(edrkit_pam_rec) F(edrkit_pam_rec, op) F(edrkit_pam_rec, ret) F(edrkit_pam_rec, service) F(edrkit_pam_rec, user)
	F(edrkit_pam_rec, tty) F(edrkit_pam_rec, rhost)
	/* part D (issue 14d) */
	S(edrkit_cred_set) F(edrkit_cred_set, uid) F(edrkit_cred_set, euid) F(edrkit_cred_set, suid) F(edrkit_cred_set, fsuid)
	F(edrkit_cred_set, gid) F(edrkit_cred_set, egid) F(edrkit_cred_set, sgid) F(edrkit_cred_set, fsgid)
	F(edrkit_cred_set, cap_effective) F(edrkit_cred_set, cap_permitted) F(edrkit_cred_set, cap_inheritable)
	F(edrkit_cred_set, ngroups) F(edrkit_cred_set, groups)
	S(edrkit_creds_rec) F(edrkit_creds_rec, op) F(edrkit_creds_rec, ret) F(edrkit_creds_rec, before) F(edrkit_creds_rec, after)
#undef L
#undef F
#undef S
	return o;
}

static napi_value init(napi_env env, napi_value exports)
{
	napi_property_descriptor props[] = {
		{ "open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL },
		{ "close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL },
		{ "closeAsync", NULL, js_close_async, NULL, NULL, NULL, napi_default, NULL },
		{ "drops", NULL, js_drops, NULL, NULL, NULL, napi_default, NULL },
		{ "coalesced", NULL, js_coalesced, NULL, NULL, NULL, napi_default, NULL },
		{ "clockOffsetNs", NULL, js_clock_offset, NULL, NULL, NULL, napi_default, NULL },
		{ "layout", NULL, js_layout, NULL, NULL, NULL, napi_default, NULL },
		{ "libbpfVersion", NULL, js_libbpf_version, NULL, NULL, NULL, napi_default, NULL },
	};
	napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
	return exports;
}

NAPI_MODULE_INIT()
{
	return init(env, exports);
}
