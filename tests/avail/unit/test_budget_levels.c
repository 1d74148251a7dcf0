/* The order in which --max-cpu sheds (src/tracer/budget.c): which level
 * each call of the default set goes at, with and without --rules, and
 * which paths count as sensitive. */
#include <string.h>
#include <sys/syscall.h>

#include "budget.h"
#include "check.h"
#include "schema/rules_set.h"
#include "schema/syscall_set.h"

int main(void)
{
	struct syscall_set def;
	syscall_set_init(&def, false);
	budget_init(0.3, &def, NULL);
	/* the default set's data I/O first */
	CHECK_EQ_INT(budget_shed_level(SYS_sendto), BUDGET_IO);
	CHECK_EQ_INT(budget_shed_level(SYS_getsockopt), BUDGET_IO);
	/* a sendto naming a destination is kept (unconnected UDP: Falco's
	 * outbound macro); sendmsg, recvfrom, recvmsg always (its inbound) */
	uint64_t to[6] = { 3, 0x1000, 1, 0, 0, 0 };
	CHECK_EQ_INT(budget_call_level(SYS_sendto, to), BUDGET_IO);
	to[4] = 0x2000;
	CHECK_EQ_INT(budget_call_level(SYS_sendto, to), 0);
	CHECK_EQ_INT(budget_shed_level(SYS_recvfrom), 0);
	CHECK_EQ_INT(budget_shed_level(SYS_recvmsg), 0);
	CHECK_EQ_INT(budget_shed_level(SYS_sendmsg), 0);
	/* then the rest of file I/O, but what keeps the consumer's fd table
	 * right: close, dup*, fcntl F_DUPFD* */
	CHECK_EQ_INT(budget_shed_level(SYS_fcntl), BUDGET_FILES);
	CHECK_EQ_INT(budget_shed_level(SYS_pipe2), BUDGET_FILES);
	CHECK_EQ_INT(budget_shed_level(SYS_close), 0);
	CHECK_EQ_INT(budget_shed_level(SYS_dup), 0);
	CHECK_EQ_INT(budget_shed_level(SYS_dup2), 0);
	CHECK_EQ_INT(budget_shed_level(SYS_dup3), 0);
	uint64_t fc[6] = { 3, 4 /* F_SETFL */, 0 };
	CHECK_EQ_INT(budget_call_level(SYS_fcntl, fc), BUDGET_FILES);
	fc[1] = 0; /* F_DUPFD */
	CHECK_EQ_INT(budget_call_level(SYS_fcntl, fc), 0);
	fc[1] = 1030; /* F_DUPFD_CLOEXEC */
	CHECK_EQ_INT(budget_call_level(SYS_fcntl, fc), 0);
	/* a mode change that sets setuid or setgid is kept */
	uint64_t cm[6] = { 0x1000, 0755, 0 };
	CHECK_EQ_INT(budget_call_level(SYS_chmod, cm), BUDGET_CORE);
	cm[1] = 04755;
	CHECK_EQ_INT(budget_call_level(SYS_chmod, cm), 0);
	uint64_t fm[6] = { 3, 02755 };
	CHECK_EQ_INT(budget_call_level(SYS_fchmod, fm), 0);
	fm[1] = 0644;
	CHECK_EQ_INT(budget_call_level(SYS_fchmod, fm), BUDGET_FILES);
	uint64_t fam[6] = { (uint64_t)-100, 0x1000, 04755 };
	CHECK_EQ_INT(budget_call_level(SYS_fchmodat, fam), 0);
	/* path calls last, by path */
	CHECK_EQ_INT(budget_shed_level(SYS_openat), BUDGET_CORE);
	CHECK_EQ_INT(budget_shed_level(SYS_unlinkat), BUDGET_CORE);
	CHECK_EQ_INT(budget_shed_level(SYS_renameat2), BUDGET_CORE);
	/* never: process, network, credentials and the like */
	static const int never[] = { SYS_clone, SYS_clone3, SYS_fork, SYS_vfork, SYS_execve, SYS_execveat,
		                     SYS_socket, SYS_connect, SYS_accept, SYS_accept4, SYS_bind, SYS_listen,
		                     SYS_setuid, SYS_setresuid, SYS_capset, SYS_chdir, SYS_chroot, SYS_setns,
		                     SYS_unshare, SYS_prctl, SYS_ptrace, SYS_mount, SYS_init_module,
		                     SYS_finit_module, SYS_bpf, SYS_memfd_create, SYS_pidfd_getfd };
	for (size_t i = 0; i < sizeof never / sizeof *never; i++)
		CHECK_EQ_INT(budget_shed_level((uint64_t)never[i]), 0);
	/* what is not traced is not shed: there is no event to shed */
	CHECK_EQ_INT(budget_shed_level(SYS_read), 0);
	CHECK_EQ_INT(budget_shed_level(SYS_getpid), 0);

	/* --rules naming connect and recvfrom, with -e adding read and
	 * sendto: what the rules need (recvfrom, and close from the repair
	 * set) waits; what -e added beyond them goes first */
	struct syscall_set need, set;
	memset(&need, 0, sizeof need);
	need.on[SYS_connect] = need.on[SYS_recvfrom] = 1;
	syscall_set_repair(&need);
	CHECK(need.on[SYS_close]);
	set = need;
	set.on[SYS_read] = set.on[SYS_sendto] = set.on[SYS_fcntl] = 1;
	budget_init(0.3, &set, &need);
	CHECK_EQ_INT(budget_shed_level(SYS_read), BUDGET_IO);
	CHECK_EQ_INT(budget_shed_level(SYS_sendto), BUDGET_IO);
	CHECK_EQ_INT(budget_shed_level(SYS_fcntl), BUDGET_IO);   /* outside what the rules asked for */
	CHECK_EQ_INT(budget_shed_level(SYS_recvfrom), 0); /* never (inbound UDP) */
	CHECK_EQ_INT(budget_shed_level(SYS_close), 0);    /* never (fd table) */
	set.on[SYS_pipe2] = need.on[SYS_pipe2] = 1;
	budget_init(0.3, &set, &need);
	CHECK_EQ_INT(budget_shed_level(SYS_pipe2), BUDGET_FILES); /* the rules need it */
	CHECK_EQ_INT(budget_shed_level(SYS_connect), 0);
	CHECK_EQ_INT(budget_shed_level(SYS_socket), 0);

	/* sensitive paths stay at every level */
	static const char *const yes[] = { "/etc/shadow", "/etc", "/root/.bashrc", "/usr/bin/sudo", "/bin/sh",
		                           "/proc/1/mem", "/proc/self/environ", "/home/u/.ssh/id_rsa",
		                           "/home/u/.bash_history", "/var/run/docker.sock", "/boot/vmlinuz",
		                           "/lib/modules/6.1/x.ko", "relative/file", "x",
		                           /* tidied before matching; any .. is kept */
		                           "//etc//shadow", "/./etc/hostname", "/tmp/../etc/shadow",
		                           "/usr/lib/../../etc/passwd", "/tmp/..", "/etc/.", "///root",
		                           /* shell start-up files, cron, packages, credentials */
		                           "/home/u/.bashrc", "/home/u/.profile", "/home/u/.bash_profile",
		                           "/etc/profile.d/x.sh", "/etc/cron.d/job", "/var/spool/cron/crontabs/u",
		                           "/sys/fs/cgroup/x/release_agent", "/var/lib/rpm/Packages",
		                           "/var/lib/dpkg/status", "/home/u/.kube/config", "/home/u/.docker/config.json",
		                           "/home/u/.aws/credentials", "/home/u/.aws", "/root/.docker" };
	static const char *const no[] = { "/dev/null", "/tmp/x", "/proc/1/stat", "/proc/self/status",
		                          "/usr/lib/libc.so.6", "/home/u/notes.txt", "/etcetera", "/var/lib/x",
		                          "/tmp/./x", "//tmp//x", "/x.docker/y", "/home/u/bashrc", "/dev/null", "/newfile",
		                          "/var/lib/rpmx" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		CHECK_MSG(budget_path_sensitive(yes[i], false), "%s is sensitive", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		CHECK_MSG(!budget_path_sensitive(no[i], false), "%s is not sensitive to read", no[i]);
	/* written: anything under /dev, anything directly below / */
	static const char *const written[] = { "/dev/null", "/dev/shm/x", "/newfile", "//x", "/./y" };
	for (size_t i = 0; i < sizeof written / sizeof *written; i++)
		CHECK_MSG(budget_path_sensitive(written[i], true), "%s is sensitive to write", written[i]);
	CHECK(!budget_path_sensitive("/tmp/x", true));
	CHECK(!budget_path_sensitive("/tmp", false));
	return check_done("budget_levels");
}
