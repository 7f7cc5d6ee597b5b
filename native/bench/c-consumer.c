/*
 * edrkit-c-consumer: the benchmark's practical ceiling. Loads the SAME BPF object as the
 * Node-API addon (packages/linux/bpf/edrkit.bpf.o) with the same configuration (kinds,
 * filter maps, ring size, disabled program groups), attaches it, and does the least a
 * consumer can: count ring-buffer records by type. No decoding, no allocation per record.
 *
 *   edrkit-c-consumer OBJ [--kinds K] [--filter-flags F] [--ring BYTES] [--pid P]... [--name N]...
 *                         [--disable PREFIX]... [--coalesce-ns NS] --expect N [--type T] [--idle-ms MS]
 *
 * Prints "ready" once attached, then polls until records of type T (default: any) plus kernel
 * drops reach N, nothing arrived for --idle-ms (default 3000; 0 = never), or SIGINT/SIGTERM. Last line:
 *   "done <records of type T> <all records> <kernel drops> <coalesced> <CLOCK_MONOTONIC ns of the last record> <CPU µs used>"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "edrkit.h"

#define MAX_LIST 64

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static unsigned long long typed, total;
static long long last_ns;
static unsigned want_type;
static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int on_record(void *ctx, void *data, size_t size)
{
	(void)ctx;
	if (size >= sizeof(struct edrkit_hdr)) {
		const struct edrkit_hdr *h = data;
		total++;
		if (!want_type || h->type == want_type)
			typed++;
	}
	last_ns = now_ns();
	return 0;
}

/* Offset of a global variable in its data section, from BTF (as the addon does). */
static long var_offset(struct bpf_object *obj, const char *sec, const char *var)
{
	struct btf *btf = bpf_object__btf(obj);
	int id = btf ? btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC) : -1;
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

static unsigned long long percpu_sum(struct bpf_object *obj, const char *map)
{
	int fd = bpf_object__find_map_fd_by_name(obj, map);
	int ncpus = libbpf_num_possible_cpus();
	if (fd < 0 || ncpus <= 0)
		return 0;
	__u64 vals[ncpus];
	__u32 zero = 0;
	if (bpf_map_lookup_elem(fd, &zero, vals) != 0)
		return 0;
	unsigned long long sum = 0;
	for (int i = 0; i < ncpus; i++)
		sum += vals[i];
	return sum;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "edrkit-c-consumer: %s: %s\n", what, strerror(err));
	exit(1);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: edrkit-c-consumer OBJ [options] --expect N\n");
		return 2;
	}
	struct edrkit_config cfg = { 0 };
	unsigned ring = 0, pids[MAX_LIST], npids = 0, nnames = 0, ndisable = 0;
	const char *names[MAX_LIST], *disable[MAX_LIST];
	unsigned long long expect = 0;
	long idle_ms = 3000;
	for (int i = 2; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (!strcmp(k, "--kinds"))
			cfg.kinds = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--filter-flags"))
			cfg.filter_flags = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--ring"))
			ring = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--pid") && npids < MAX_LIST)
			pids[npids++] = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--name") && nnames < MAX_LIST)
			names[nnames++] = v;
		else if (!strcmp(k, "--disable") && ndisable < MAX_LIST)
			disable[ndisable++] = v;
		else if (!strcmp(k, "--expect"))
			expect = strtoull(v, NULL, 0);
		else if (!strcmp(k, "--type"))
			want_type = strtoul(v, NULL, 0);
		else if (!strcmp(k, "--idle-ms"))
			idle_ms = strtol(v, NULL, 0);
		else {
			fprintf(stderr, "edrkit-c-consumer: unknown option %s\n", k);
			return 2;
		}
	}

	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj)
		die(argv[1], errno);
	struct bpf_map *m, *rodata = NULL;
	bpf_object__for_each_map(m, obj)
	{
		const char *n = bpf_map__name(m);
		size_t l = strlen(n);
		if (l >= 7 && !strcmp(n + l - 7, ".rodata"))
			rodata = m;
	}
	size_t rsz = 0;
	void *rdata = rodata ? (void *)bpf_map__initial_value(rodata, &rsz) : NULL;
	long off = var_offset(obj, ".rodata", "edrkit_cfg");
	if (!rdata || off < 0 || (size_t)off + sizeof(cfg) > rsz)
		die("edrkit_cfg not found in .rodata", ENOENT);
	memcpy((char *)rdata + off, &cfg, sizeof(cfg));
	if (ring && bpf_map__set_max_entries(bpf_object__find_map_by_name(obj, "edrkit_events"), ring))
		die("ring size", EINVAL);
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj)
	{
		for (unsigned i = 0; i < ndisable; i++)
			if (!strncmp(bpf_program__name(prog), disable[i], strlen(disable[i])))
				bpf_program__set_autoload(prog, false);
	}
	int err = bpf_object__load(obj);
	if (err)
		die("load", -err);
	__u8 one = 1;
	for (unsigned i = 0; i < npids; i++)
		bpf_map_update_elem(bpf_object__find_map_fd_by_name(obj, "edrkit_pid_inc"), &pids[i], &one, BPF_ANY);
	for (unsigned i = 0; i < nnames; i++) {
		char key[EDRKIT_COMM_LEN] = { 0 };
		strncpy(key, names[i], sizeof(key) - 1);
		bpf_map_update_elem(bpf_object__find_map_fd_by_name(obj, "edrkit_name_inc"), key, &one, BPF_ANY);
	}
	bpf_object__for_each_program(prog, obj)
	{
		if (bpf_program__autoload(prog) && !bpf_program__attach(prog))
			fprintf(stderr, "edrkit-c-consumer: %s did not attach: %s\n", bpf_program__name(prog), strerror(errno));
	}
	struct ring_buffer *rb = ring_buffer__new(bpf_object__find_map_fd_by_name(obj, "edrkit_events"), on_record, NULL, NULL);
	if (!rb)
		die("ring_buffer__new", errno);
	printf("ready\n");
	fflush(stdout);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	long long idle_since = now_ns();
	unsigned long long drops = 0;
	while (!stopping) {
		int n = ring_buffer__poll(rb, 100);
		if (n < 0 && n != -EINTR)
			die("poll", -n);
		drops = percpu_sum(obj, "edrkit_drops");
		if (n > 0)
			idle_since = now_ns();
		if (expect && typed + drops >= expect)
			break;
		if (idle_ms && now_ns() - idle_since > idle_ms * 1000000LL && (typed || drops || now_ns() - idle_since > 4 * idle_ms * 1000000LL))
			break;
	}
	unsigned long long coalesced = percpu_sum(obj, "edrkit_coalesced");
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	long long cpu_us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
	printf("done %llu %llu %llu %llu %lld %lld\n", typed, total, drops, coalesced, last_ns, cpu_us);
	fflush(stdout);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
