/*
 * edrkit-loadgen: the benchmark's load generator. Produces a known number of events and
 * reports how long the workload took (its own wall time: the "monitored workload").
 *
 *   edrkit-loadgen [--wait] open   N DIR [NFILES [RATE]]  open(O_CREAT|O_WRONLY)+close N times on
 *                                                         DIR/f<i % NFILES> (NFILES default N: every
 *                                                         open creates a file); RATE opens/s (0 = flat out)
 *   edrkit-loadgen [--wait] exec   N                      fork + exec /bin/true N times, one at a time
 *   edrkit-loadgen [--wait] modify N FILE                 open(O_WRONLY)+write 1 byte+close the same file N times
 *
 * --wait: print "ready <pid>" and wait for a line on stdin before starting, so a consumer can
 * filter on this pid first. At the end it prints "done <events> <elapsed_ns> <start_ns>" on stdout
 * (start_ns: CLOCK_MONOTONIC when the workload began, the clock of process.hrtime()).
 * Pacing (RATE) spins on CLOCK_MONOTONIC in steps of 1 ms so the average rate is exact
 * without a sleep per event.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "edrkit-loadgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: edrkit-loadgen [--wait] open N DIR [NFILES [RATE]] | exec N | modify N FILE\n");
	exit(2);
}

/* Wait until `done` events fit the rate: at most one check per event, a nanosleep per ms of lead. */
static void pace(long long start, long done, double rate)
{
	if (rate <= 0)
		return;
	long long due = start + (long long)(done * 1e9 / rate);
	long long t = now_ns();
	if (t < due) {
		struct timespec ts = { 0, due - t };
		if (due - t >= 1000000) /* sleep only for a lead of a millisecond or more */
			nanosleep(&ts, NULL);
	}
}

static long open_storm(long n, const char *dir, long nfiles, double rate)
{
	char path[4096];
	long long start = now_ns();
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i % nfiles);
		int fd = open(path, O_CREAT | O_WRONLY, 0600);
		if (fd < 0)
			die(path);
		close(fd);
		pace(start, i + 1, rate);
	}
	return n;
}

static long exec_storm(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		int status;
		if (waitpid(pid, &status, 0) < 0)
			die("waitpid");
	}
	return n;
}

static long modify_storm(long n, const char *file)
{
	for (long i = 0; i < n; i++) {
		int fd = open(file, O_WRONLY | O_CREAT, 0600);
		if (fd < 0)
			die(file);
		if (write(fd, "x", 1) != 1)
			die("write");
		close(fd);
	}
	return n;
}

int main(int argc, char **argv)
{
	int wait_go = 0;
	int a = 1;
	if (a < argc && strcmp(argv[a], "--wait") == 0) {
		wait_go = 1;
		a++;
	}
	if (argc - a < 2)
		usage();
	const char *mode = argv[a];
	char *end;
	long n = strtol(argv[a + 1], &end, 10);
	if (*end || n <= 0)
		usage();
	if (wait_go) {
		printf("ready %d\n", getpid());
		fflush(stdout);
		char line[64];
		if (!fgets(line, sizeof(line), stdin))
			return 1;
	}
	long long t0 = now_ns();
	long events;
	if (strcmp(mode, "open") == 0 && argc - a >= 3) {
		long nfiles = argc - a >= 4 ? strtol(argv[a + 3], NULL, 10) : n;
		double rate = argc - a >= 5 ? strtod(argv[a + 4], NULL) : 0;
		if (nfiles <= 0)
			usage();
		events = open_storm(n, argv[a + 2], nfiles, rate);
	} else if (strcmp(mode, "exec") == 0) {
		events = exec_storm(n);
	} else if (strcmp(mode, "modify") == 0 && argc - a >= 3) {
		events = modify_storm(n, argv[a + 2]);
	} else {
		usage();
		return 2;
	}
	printf("done %ld %lld %lld\n", events, now_ns() - t0, t0);
	fflush(stdout);
	return 0;
}
