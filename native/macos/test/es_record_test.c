/*
 * Test driver for es_record.c on Linux (compiled against ../test-stubs): builds es_message_t
 * values the way Endpoint Security fills them and prints each converted record, one JSON line
 * per message, for test/macos/es-record.test.ts to decode with the eslogger decoder.
 *   es_record_test --list   prints the names of the converted event types
 *   es_record_test          prints the records (a line "skipped <type>" for an unconverted one)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/es_record.h"

/* libEndpointSecurity's accessors of exec's packed arguments: here from a side table. */
static const char *const *exec_args;
static uint32_t exec_argc;
uint32_t es_exec_arg_count(const es_event_exec_t *event) {
	(void)event;
	return exec_argc;
}
es_string_token_t es_exec_arg(const es_event_exec_t *event, uint32_t index) {
	(void)event;
	es_string_token_t t = {strlen(exec_args[index]), exec_args[index]};
	return t;
}

static es_string_token_t tok(const char *s) {
	es_string_token_t t = {s ? strlen(s) : 0, s};
	return t;
}

static es_file_t *mkfile(const char *path, mode_t mode) {
	es_file_t *f = calloc(1, sizeof *f);
	f->path = tok(path);
	f->stat.st_mode = mode;
	f->stat.st_uid = 501;
	f->stat.st_gid = 20;
	f->stat.st_size = 42;
	return f;
}

static audit_token_t token(unsigned pid, unsigned pidversion, unsigned euid) {
	/* auid, euid, egid, ruid, rgid, pid, asid, pidversion */
	audit_token_t t = {{501, euid, 20, 501, 20, pid, 100001, pidversion}};
	return t;
}

static es_process_t *mkproc(const char *exe, unsigned pid, unsigned pidversion, pid_t ppid, const char *signing_id, const char *team_id, bool platform) {
	es_process_t *p = calloc(1, sizeof *p);
	p->audit_token = token(pid, pidversion, 501);
	p->ppid = ppid;
	p->original_ppid = ppid;
	p->group_id = (pid_t)pid;
	p->session_id = (pid_t)pid;
	p->codesigning_flags = 0x22000001;
	p->is_platform_binary = platform;
	for (int i = 0; i < 20; i++) p->cdhash[i] = (uint8_t)(0xa0 + i);
	p->signing_id = tok(signing_id);
	p->team_id = tok(team_id);
	p->executable = mkfile(exe, 0100755);
	p->start_time.tv_sec = 1767323045; /* 2026-01-02T03:04:05Z */
	p->start_time.tv_usec = 123456;
	p->responsible_audit_token = p->audit_token;
	p->parent_audit_token = token((unsigned)ppid, 1, 501);
	return p;
}

static es_thread_t thread = {777};
static uint64_t global_seq;

static es_message_t *mkmsg(es_event_type_t type, es_process_t *actor, uint32_t version) {
	es_message_t *m = calloc(1, sizeof *m);
	m->version = version;
	m->time.tv_sec = 1767323046;
	m->time.tv_nsec = 987654321;
	m->mach_time = 123;
	m->process = actor;
	m->seq_num = 0;
	m->action_type = ES_ACTION_TYPE_NOTIFY;
	m->event_type = type;
	m->thread = &thread;
	m->global_seq_num = ++global_seq;
	return m;
}

static edr_buf_t out;

static void emit(const es_message_t *m) {
	int r = edr_es_record(&out, m);
	if (r == 0) {
		char line[64];
		int n = snprintf(line, sizeof line, "skipped %d\n", (int)m->event_type);
		fwrite(line, 1, (size_t)n, stdout);
		return;
	}
	if (r < 0) {
		fputs("out of memory\n", stderr);
		exit(1);
	}
	fwrite(out.data, 1, out.len, stdout);
	out.len = 0;
}

int main(int argc, char **argv) {
	if (argc > 1 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < edr_es_converted_count; i++) printf("%s\n", edr_es_event_name(edr_es_converted_types[i]));
		return 0;
	}
	es_process_t *zsh = mkproc("/bin/zsh", 500, 1, 1, "com.apple.zsh", NULL, true);
	es_process_t *curl = mkproc("/usr/bin/curl", 500, 2, 1, "com.apple.curl", NULL, true);
	es_process_t *tool = mkproc("/Applications/Tool.app/Contents/MacOS/Tool", 600, 7, 1, "com.example.tool", "EXAMPLE123", false);

	/* exec: the actor is the pre-exec image (zsh), the target the new one (curl). */
	es_message_t *m = mkmsg(ES_EVENT_TYPE_NOTIFY_EXEC, zsh, 8);
	static const char *const args[] = {"curl", "-s", "https://example.com/\"q\"", "tab\there"};
	exec_args = args;
	exec_argc = 4;
	m->event.exec.target = curl;
	m->event.exec.dyld_exec_path = tok("/usr/bin/curl");
	m->event.exec.cwd = mkfile("/Users/alice", 040755);
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_FORK, curl, 8);
	m->event.fork.child = mkproc("/usr/bin/curl", 501, 3, 500, "com.apple.curl", NULL, true);
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_CREATE, tool, 8);
	m->event.create.destination_type = ES_DESTINATION_TYPE_NEW_PATH;
	m->event.create.destination.new_path.dir = mkfile("/tmp", 041777);
	m->event.create.destination.new_path.filename = tok("we\"ird\\name\n.txt");
	m->event.create.destination.new_path.mode = 0644;
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_CREATE, tool, 8);
	m->event.create.destination_type = ES_DESTINATION_TYPE_EXISTING_FILE;
	m->event.create.destination.existing_file = mkfile("/tmp/existing", 0100644);
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_RENAME, tool, 8);
	m->event.rename.source = mkfile("/tmp/a", 0100644);
	m->event.rename.destination_type = ES_DESTINATION_TYPE_NEW_PATH;
	m->event.rename.destination.new_path.dir = mkfile("/tmp/dir/", 040755);
	m->event.rename.destination.new_path.filename = tok("b");
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_CLOSE, tool, 8);
	m->event.close.modified = true;
	m->event.close.target = mkfile("/tmp/written", 0100644);
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_UNLINK, tool, 8);
	m->event.unlink.target = mkfile("/tmp/gone", 0100644);
	m->event.unlink.parent_dir = mkfile("/tmp", 041777);
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_SETMODE, tool, 8);
	m->event.setmode.mode = 04755;
	m->event.setmode.target = mkfile("/tmp/suid", 0100644);
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_SETOWNER, tool, 8);
	m->event.setowner.uid = 0;
	m->event.setowner.gid = 0;
	m->event.setowner.target = mkfile("/tmp/owned", 0100644);
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_OPEN, tool, 8);
	m->event.open.fflag = 0x1 | 0x2 | 0x200;
	m->event.open.file = mkfile("/etc/hosts", 0100644);
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_MMAP, tool, 8);
	m->event.mmap.protection = 0x1 | 0x4;
	m->event.mmap.max_protection = 0x7;
	m->event.mmap.flags = 0x1;
	m->event.mmap.source = mkfile("/usr/lib/libexample.dylib", 0100755);
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_KEXTLOAD, tool, 8);
	m->event.kextload.identifier = tok("com.example.kext");
	emit(m);

	struct statfs sfs;
	memset(&sfs, 0, sizeof sfs);
	strcpy(sfs.f_mntonname, "/Volumes/USB");
	strcpy(sfs.f_mntfromname, "/dev/disk4s1");
	strcpy(sfs.f_fstypename, "msdos");
	sfs.f_flags = 0x200 | 0x1000;
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_MOUNT, tool, 8);
	m->event.mount.statfs = &sfs;
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_GET_TASK_READ, tool, 8);
	m->event.get_task_read.target = zsh;
	m->event.get_task_read.type = ES_GET_TASK_TYPE_TASK_FOR_PID;
	emit(m);

	m = mkmsg(ES_EVENT_TYPE_NOTIFY_REMOTE_THREAD_CREATE, tool, 8);
	m->event.remote_thread_create.target = zsh;
	emit(m);

	es_event_openssh_login_t ssh = {false, ES_OPENSSH_AUTH_FAIL_PASSWD, ES_ADDRESS_TYPE_IPV4, tok("192.0.2.7"), tok("mallory"), false, {0}};
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_OPENSSH_LOGIN, tool, 8);
	m->event.openssh_login = &ssh;
	emit(m);

	es_event_lw_session_login_t lw = {tok("alice"), 257};
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_LW_SESSION_UNLOCK, tool, 8);
	m->event.lw_session_unlock = &lw;
	emit(m);

	es_btm_launch_item_t item = {ES_BTM_ITEM_TYPE_DAEMON, true, false, 0, tok("file:///Library/LaunchDaemons/com.evil.plist"), tok(NULL)};
	es_event_btm_launch_item_add_t btm = {NULL, NULL, &item, tok("/usr/local/bin/evil"), NULL, NULL};
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_BTM_LAUNCH_ITEM_ADD, tool, 8);
	m->event.btm_launch_item_add = &btm;
	emit(m);

	es_event_od_create_user_t od = {NULL, 0, tok("newbie"), tok("/Local/Default"), tok(NULL), {{0}}};
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_OD_CREATE_USER, tool, 8);
	m->event.od_create_user = &od;
	emit(m);

	es_sudo_reject_info_t reject = {tok("sudoers"), ES_SUDO_PLUGIN_TYPE_POLICY, tok("incorrect password")};
	es_event_sudo_t sudo_ok = {true, NULL, true, {501}, tok("alice"), true, {0}, tok("root"), tok("/bin/ls /var/root")};
	es_event_sudo_t sudo_bad = {false, &reject, true, {501}, tok("alice"), false, {0}, tok(NULL), tok("/bin/ls")};
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_SUDO, tool, 8);
	m->event.sudo = &sudo_ok;
	emit(m);
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_SUDO, tool, 8);
	m->event.sudo = &sudo_bad;
	emit(m);

	es_event_su_t su = {false, tok("Sorry"), 501, tok("alice"), false, {0}, tok(NULL), tok(NULL), 0, NULL, 0, NULL};
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_SU, tool, 8);
	m->event.su = &su;
	emit(m);

	es_event_screensharing_attach_t ss = {true, ES_ADDRESS_TYPE_IPV6, tok("2001:db8::9"), tok(NULL), tok("password"), tok("dave"), tok("dave"), true, 3};
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_SCREENSHARING_ATTACH, tool, 8);
	m->event.screensharing_attach = &ss;
	emit(m);

	es_event_authentication_od_t od_auth = {NULL, tok("Users"), tok("eve"), tok("/Local/Default"), tok(NULL), {{0}}};
	es_event_authentication_t auth = {false, ES_AUTHENTICATION_TYPE_OD, {.od = &od_auth}};
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_AUTHENTICATION, tool, 8);
	m->event.authentication = &auth;
	emit(m);

	es_od_member_id_t member = {ES_OD_MEMBER_TYPE_USER_NAME, {.name = {5, "alice"}}};
	es_event_od_group_add_t group = {NULL, 0, tok("admin"), &member, tok("/Local/Default"), tok(NULL), {{0}}};
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_OD_GROUP_ADD, tool, 8);
	m->event.od_group_add = &group;
	emit(m);

	es_event_od_modify_password_t pw = {NULL, 0, ES_OD_ACCOUNT_TYPE_USER, tok("alice"), tok("/Local/Default"), tok(NULL), {{0}}};
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_OD_MODIFY_PASSWORD, tool, 8);
	m->event.od_modify_password = &pw;
	emit(m);

	/* Exit with wait status 0x0100 (exit code 1), in an old message version: no seq numbers, thread or start time. */
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_EXIT, curl, 1);
	m->event.exit.stat = 0x100;
	emit(m);

	/* A type edrkit does not convert: nothing written. */
	m = mkmsg(ES_EVENT_TYPE_NOTIFY_SIGNAL, tool, 8);
	emit(m);

	edr_buf_free(&out);
	return 0;
}
