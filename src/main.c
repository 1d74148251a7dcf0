/* pdig: trace a program with ptrace+seccomp and emit sysdig events. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procfs/procfs_desc.h"
#include "ring/fault_guard.h"
#include "ring/ring.h"
#include "schema/schema.h"
#include "schema/rules_set.h"
#include "schema/trace_filter.h"
#include "sinks/scapfile.h"
#include "sinks/sink.h"
#include "sinks/udig.h"
#include "tracer/tracer.h"

/* seconds to wait for the pdig ring's consumer (--wait-consumer) */
#define WAIT_CONSUMER_ENV "PDIG_WAIT_CONSUMER"
/* pdig's CPU budget (--max-cpu), for deploy recipes that set env only */
#define MAX_CPU_ENV "PDIG_MAX_CPU"
#define THREADS_ENV "PDIG_THREADS"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pdig [options] [--] CMD [ARGS...]\n"
		"       pdig [options] -p PID | -P PID\n"
		"Runs CMD under ptrace and turns its system calls into sysdig/falco events.\n"
		"Events go to the udig ring read by `sysdig -u` and to the pdig ring read by\n"
		"the pdig Falco plugin (both by default; the pdig ring is $PDIG_RING_DIR/pdig-ring,\n"
		"default /dev/shm/pdig-ring).\n"
		"\n"
		"  -a        trace every syscall, as the kernel driver reports them\n"
		"            (those without an event of their own as generic events;\n"
		"            default: the state-changing set Falco needs)\n"
		"  -p PID    attach to every thread of running process PID\n"
		"  -P PID    attach to PID and all of its descendants\n"
		"  -S        with -p/-P, inject the seccomp filter into the process:\n"
		"            much faster, but it cannot be removed again, so when pdig\n"
		"            ends, a small pdig-keeper process stays its tracer\n"
		"  -o FILE   also write one readable line per event to FILE ('-' = stderr)\n"
		"  -j        with -o, write JSON lines instead of text\n"
		"  -w FILE   also write the events to a capture file that `sysdig -r` reads\n"
		"  -C MB     with -w, start a new file every MB megabytes (10^6 bytes):\n"
		"            FILE0, FILE1, ... each readable on its own\n"
		"  --schema VER  with -w, the event schema of the file: 1.0.0 (default,\n"
		"            sysdig 0.29), or the reader's libs or Falco: 0.22 / falco-0.42,\n"
		"            0.23 / falco-0.43 / sysdig-0.41, 0.25 / falco-0.44\n"
		"  -e trace=LIST  trace exactly these syscalls (strace syntax): names,\n"
		"            %%file %%network %%process %%desc %%memory %%signal %%ipc %%creds,\n"
		"            all (as -a), none; '!LIST' for all but LIST; '?NAME' skips\n"
		"            unknown names\n"
		"  --rules FILE  trace the syscalls the event types of FILE's Falco rules\n"
		"            need, as Falco selects them, plus what libsinsp needs for its\n"
		"            state beside them (Falco's base_syscalls.repair); repeatable\n"
		"            (files load in order, as Falco's rules_files), adds to -e\n"
		"  --repair  add libsinsp's repair set to the -e set; alone: only the\n"
		"            process tree, ids and cwd (the minimal state-safe set)\n"
		"  --wait-consumer SECS  wait up to SECS seconds (0-3600) for a consumer of\n"
		"            the pdig ring (the Falco plugin) before starting CMD, so its\n"
		"            first events are not discarded; then start it anyway, with\n"
		"            a warning (also $PDIG_WAIT_CONSUMER=SECS)\n"
		"  --max-cpu FRACTION  availability mode: keep pdig's own CPU within\n"
		"            FRACTION of one CPU (0.01-64; 0.3 = 30%%) by shedding events\n"
		"            in a fixed order (README: Availability mode), counted as\n"
		"            drops; full tracing again once the load falls (also\n"
		"            $PDIG_MAX_CPU=FRACTION)\n"
		"  -v        print each output's event counts (written, dropped,\n"
		"            discarded) at exit\n"
		"  --threads N  serve the program's stops with N tracer threads (1-64;\n"
		"            default: the CPUs pdig may use, at most 8; see\n"
		"            docs/scale.md; also $PDIG_THREADS=N); -p/-P use one\n"
		"  --no-follow-cpu  do not move pdig to the CPU of the traced thread, nor\n"
		"                   run it as SCHED_IDLE to keep the thread there, nor poll\n"
		"                   for stops when it runs elsewhere (cross-CPU stops cost\n"
		"                   far more; by default pdig does all three)\n"
		"  -h        this help\n"
		"  --version print the version and the event schema version\n"
		"\n"
		"The exit status is CMD's, or 128+N if signal N killed it. SIGTERM, SIGINT\n"
		"and SIGHUP are forwarded to CMD; once CMD has exited, pdig kills what it\n"
		"still traces and exits (a second signal, 1 s later, kills all at once).\n");
}

/* Resolve CMD like execvp, so a missing program gets a clear error before
 * anything is traced. Returns 0, or the shell-style exit code. */
static int resolve(const char *cmd, char *out, size_t cap)
{
	struct stat st;
	if (strchr(cmd, '/')) {
		snprintf(out, cap, "%s", cmd);
	} else {
		const char *path = getenv("PATH");
		if (!path || !*path)
			path = "/usr/local/bin:/usr/bin:/bin";
		int found = 0, eacces = 0;
		for (const char *p = path; !found;) {
			const char *end = strchrnul(p, ':');
			int n = (int)(end - p);
			snprintf(out, cap, "%.*s%s%s", n, p, n ? "/" : "", cmd);
			if (stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
				if (access(out, X_OK) == 0)
					found = 1;
				else
					eacces = 1;
			}
			if (!*end)
				break;
			p = end + 1;
		}
		if (!found) {
			fprintf(stderr, "pdig: %s: %s\n", cmd, eacces ? "Permission denied" : "command not found");
			return eacces ? 126 : 127;
		}
		return 0;
	}
	if (stat(out, &st) < 0) {
		fprintf(stderr, "pdig: %s: %s\n", cmd, strerror(errno));
		return errno == ENOENT || errno == ENOTDIR ? 127 : 126;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "pdig: %s: Is a directory\n", cmd);
		return 126;
	}
	if (access(out, X_OK) < 0) {
		fprintf(stderr, "pdig: %s: %s\n", cmd, strerror(errno));
		return 126;
	}
	return 0;
}

/* -v: one line per output, each count of events that output saw. */
static void report_sink(void *arg, const struct sink *s)
{
	(void)arg;
	fprintf(stderr, "pdig: %s: events written %llu, dropped %llu", s->name,
	        (unsigned long long)s->stats.written, (unsigned long long)s->stats.dropped);
	if (s->discard_reason)
		fprintf(stderr, ", discarded (%s) %llu", s->discard_reason,
		        (unsigned long long)s->stats.discarded);
	fputc('\n', stderr);
}

/* The tracer's output is the set of sinks: main is the one place that
 * knows both. */
static uint32_t out_wanted(void *ctx) { (void)ctx; return sinks_wanted(); }
static uint32_t out_snaplen(void *ctx) { (void)ctx; return sinks_snaplen(); }
static void out_emit(void *ctx, enum pdig_schema_id schema, const uint8_t *ev, size_t len)
{
	(void)ctx;
	sinks_emit(schema, ev, len);
}
static void out_skipped(void *ctx, uint64_t n) { (void)ctx; sinks_skipped(n); }
static void out_describe(void *ctx, int64_t tid) { (void)ctx; sinks_describe_process(tid); }
static uint32_t out_intro(void *ctx) { (void)ctx; return sinks_intro(); }
static void out_shed(void *ctx, enum pdig_schema_id schema, uint64_t n) { (void)ctx; sinks_shed(schema, n); }

/* The ring sink found a consumer's ring: the tracees may not write it, and
 * a missing udig consumer is no longer worth a warning. */
static void ring_attached(const char *path)
{
	guard_protect_path(path);
	udig_sink_quiet();
}

/* --rules/--repair: the rules' syscalls (added to the -e set, or alone),
 * less the high-volume I/O Falco leaves out unless -A, then libsinsp's
 * repair set; -v says what is traced. *needed: what the rules need (their
 * set with its repair set: --max-cpu sheds what -e added beyond it first). */
static int pick_from_rules(struct syscall_set *set, struct syscall_set *needed, bool from_e, const char *const *files,
                           int n, int verbose)
{
	char err[768];
	static char names[8192];
	if (!from_e)
		memset(set, 0, sizeof *set);
	struct syscall_set rules = { { 0 } };
	int k = n ? rules_set_from_files(files, n, &rules, stderr, err, sizeof err) : 0;
	if (k < 0) {
		fprintf(stderr, "pdig: %s\n", err);
		return -1;
	}
	if (verbose && n) {
		syscall_set_names(&rules, names, sizeof names);
		fprintf(stderr, "pdig: rules select %d syscalls: %s\n", k, names);
	}
	struct syscall_set named = rules; /* before what -e traces is taken out */
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) /* -e traces them: not dropped, not to report */
		if (set->on[nr])
			rules.on[nr] = 0;
	if (syscall_set_drop_io(&rules, names, sizeof names))
		fprintf(stderr, "pdig: --rules: not traced, as Falco ignores them without -A: %s (add them with -e trace=)\n",
			names);
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		needed->on[nr] = rules.on[nr] || (named.on[nr] && set->on[nr]);
		set->on[nr] |= rules.on[nr];
	}
	syscall_set_repair(needed);
	syscall_set_repair(set);
	if (verbose) {
		syscall_set_names(set, names, sizeof names);
		fprintf(stderr, "pdig: tracing %s\n", names);
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool all = false, json = false, tree = false, inject = false, no_follow_cpu = false;
	pid_t attach_pid = 0;
	int verbose = 0;
	const char *threads_arg = getenv(THREADS_ENV); /* --threads overrides it */
	const char *threads_from = THREADS_ENV;
	const char *text_path = NULL;
	/* -w/-C/-e: capture files and the trace filter */
	const char *scap_path = NULL;
	uint64_t rotate_bytes = 0;
	int scap_schema = -1; /* --schema: the -w file's (-1: not given, 1.0.0) */
	const char *wait_consumer = getenv(WAIT_CONSUMER_ENV); /* --wait-consumer overrides it */
	const char *max_cpu = getenv(MAX_CPU_ENV); /* --max-cpu overrides it */
	const char *trace_exprs[64];
	int ntrace = 0;
	const char *rules_files[64];
	int nrules = 0;
	bool repair = false;
	static const struct option longopts[] = {
		{ "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'V' },
		{ "no-follow-cpu", no_argument, 0, 'F' },
		{ "threads", required_argument, 0, 'N' },
		{ "schema", required_argument, 0, 'Z' },
		{ "rules", required_argument, 0, 'R' },
		{ "repair", no_argument, 0, 'Q' },
		{ "wait-consumer", required_argument, 0, 'W' },
		{ "max-cpu", required_argument, 0, 'M' },
		{ 0, 0, 0, 0 },
	};
	guard_protect_self(); /* before anything the tracee could reach exists */
	sigset_t keep_out; /* the ring's SIGBUS handler, like every pdig handler */
	sigemptyset(&keep_out);
	guard_handler_keep_out(&keep_out);
	fault_guard_keep_out(&keep_out);
	if (argc == 3 && strcmp(argv[1], "--keep") == 0)
		return tracer_keep((pid_t)atoi(argv[2])); /* re-executed by tracer_release */
	int c;
	/* '+': stop at the first non-option, which is CMD */
	while ((c = getopt_long(argc, argv, "+ahjo:vp:P:SC:e:w:", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'j': json = true; break;
		case 'o': text_path = optarg; break;
		case 'v': verbose++; break;
		case 'w': scap_path = optarg; break;
		case 'C': {
			char *end;
			errno = 0;
			unsigned long long mb = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || mb == 0 || mb > 1000000) {
				fprintf(stderr, "pdig: -C: expected a size in MB (1-1000000), got '%s'\n", optarg);
				return 2;
			}
			rotate_bytes = mb * 1000000ull; /* sysdig's -C megabyte */
			break;
		}
		case 'e':
			if (ntrace == (int)(sizeof trace_exprs / sizeof *trace_exprs)) {
				fprintf(stderr, "pdig: too many -e options\n");
				return 2;
			}
			trace_exprs[ntrace++] = optarg;
			break;
		case 'p':
		case 'P': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v <= 0 || v > 0x3fffffff) {
				fprintf(stderr, "pdig: -%c: not a process id: %s\n", c, optarg);
				return 2;
			}
			attach_pid = (pid_t)v;
			tree = c == 'P';
			break;
		}
		case 'S': inject = true; break;
		case 'R':
			if (nrules == (int)(sizeof rules_files / sizeof *rules_files)) {
				fprintf(stderr, "pdig: too many --rules options\n");
				return 2;
			}
			rules_files[nrules++] = optarg;
			repair = true;
			break;
		case 'Q': repair = true; break;
		case 'F': no_follow_cpu = true; break;
		case 'N':
			threads_arg = optarg;
			threads_from = "--threads";
			break;
		case 'Z':
			scap_schema = pdig_schema_parse(optarg);
			if (scap_schema < 0) {
				fprintf(stderr, "pdig: --schema: unknown event schema '%s' (known: %s)\n", optarg,
				        pdig_schema_names());
				return 2;
			}
			break;
		case 'W':
			wait_consumer = optarg;
			break;
		case 'M':
			max_cpu = optarg;
			break;
		case 'h': usage(stdout); return 0;
		case 'V':
			printf("pdig %s (event schema %s)\n", PDIG_VERSION, PDIG_SCHEMA_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (attach_pid && optind < argc) {
		fprintf(stderr, "pdig: give either a program or -p/-P, not both\n");
		return 2;
	}
	if (!attach_pid && optind >= argc) {
		fprintf(stderr, "pdig: no program to run\n");
		usage(stderr);
		return 2;
	}
	if (inject && !attach_pid) {
		fprintf(stderr, "pdig: -S goes with -p or -P (a spawned program always gets the filter)\n");
		return 2;
	}
	long wait_ms = 0;
	if (wait_consumer && *wait_consumer) {
		char *end;
		errno = 0;
		double secs = strtod(wait_consumer, &end);
		if (errno || *end || !(secs >= 0 && secs <= 3600)) {
			fprintf(stderr, "pdig: --wait-consumer / %s: expected seconds (0-3600), got '%s'\n",
				WAIT_CONSUMER_ENV, wait_consumer);
			return 2;
		}
		wait_ms = (long)(secs * 1000);
	}
	unsigned threads = 0; /* 0: the default (tracer_threads_default) */
	if (threads_arg && (*threads_arg || threads_from[0] == '-')) {
		char *end;
		long v = strtol(threads_arg, &end, 10);
		if (*end || !*threads_arg || v < 1 || v > 64) {
			fprintf(stderr, "pdig: %s: expected a number of tracer threads (1-64), got '%s'\n", threads_from,
			        threads_arg);
			return 2;
		}
		threads = (unsigned)v;
	}
	double budget = 0;
	if (max_cpu && *max_cpu) {
		char *end;
		errno = 0;
		budget = strtod(max_cpu, &end);
		/* a fraction of one CPU; above 1 only with several tracer threads */
		if (errno || *end || !(budget >= 0.01 && budget <= 64)) {
			fprintf(stderr, "pdig: --max-cpu / %s: expected a fraction of one CPU (0.01-64), got '%s'\n",
				MAX_CPU_ENV, max_cpu);
			return 2;
		}
	}
	if (json && !text_path) {
		fprintf(stderr, "pdig: -j needs -o FILE\n");
		return 2;
	}

	if (rotate_bytes && !scap_path) {
		fprintf(stderr, "pdig: -C needs -w FILE\n");
		return 2;
	}
	if (scap_schema >= 0 && !scap_path) {
		fprintf(stderr, "pdig: --schema needs -w FILE\n");
		return 2;
	}
	struct tracer_opts o;
	memset(&o, 0, sizeof o);
	syscall_set_init(&o.set, all);
	char err[256];
	int first = 1;
	for (int i = 0; i < ntrace; i++)
		if (trace_filter_apply(trace_exprs[i], &o.set, &first, err, sizeof err) < 0) {
			fprintf(stderr, "pdig: %s\n", err);
			return 2;
		}
	if (repair && all) {
		fprintf(stderr, "pdig: -a traces everything: it does not go with --rules or --repair\n");
		return 2;
	}
	static struct syscall_set rules_need;
	if (repair && pick_from_rules(&o.set, &rules_need, ntrace > 0, rules_files, nrules, verbose) < 0)
		return 2;

	char path[4096];
	int rc = attach_pid ? 0 : resolve(argv[optind], path, sizeof path);
	if (rc)
		return rc;

	if (attach_pid && inject)
		tracer_split(attach_pid); /* the front waits there and exits */
	/* the pdig ring (the Falco plugin); $PDIG_RING_DIR moves it */
	struct sink *ring = ring_sink_open(getenv(RING_DIR_ENV), ring_attached, err, sizeof err);
	if (ring)
		sinks_add(ring);
	else
		fprintf(stderr, "pdig: pdig ring unavailable: %s\n", err);
	/* $PDIG_RING_DIR says the consumer is to be Falco's plugin: name it,
	 * not `sysdig -u`, when events are discarded for want of one */
	static char ring_hint[4200];
	if (ring && getenv(RING_DIR_ENV) && *getenv(RING_DIR_ENV)) {
		snprintf(ring_hint, sizeof ring_hint, "no consumer of the pdig ring in %s yet (Falco with the "
			 "pdig plugin); events are being discarded until one comes", getenv(RING_DIR_ENV));
		udig_sink_hint(ring_hint);
	}
	if (ring && wait_ms > 0 && !ring_sink_wait(ring, (unsigned)wait_ms))
		fprintf(stderr, "pdig: no consumer of the pdig ring after %s s: starting without one "
			"(events are discarded until it comes)\n", wait_consumer);
	struct sink *udig = udig_sink_open(err, sizeof err);
	/* pdig's files: no tracee may open them for writing (guard_files.c) */
	if (udig) {
		sinks_add(udig);
		guard_protect_path("/dev/shm" UDIG_DESCS_NAME);
		guard_protect_path("/dev/shm" UDIG_RING_NAME);
	}
	else if (!text_path && !scap_path)
		fprintf(stderr, "pdig: udig ring unavailable: %s\n", err);
	if (text_path) {
		struct sink *text = text_sink_open(text_path, json, err, sizeof err);
		if (!text) {
			fprintf(stderr, "pdig: %s: %s\n", text_path, err);
			return 2;
		}
		sinks_add(text);
		if (strcmp(text_path, "-"))
			guard_protect_path(text_path);
		udig_sink_quiet();
	}
	if (scap_path) {
		struct sink *scap = scap_sink_open(scap_path, rotate_bytes, err, sizeof err);
		if (!scap) {
			fprintf(stderr, "pdig: -w: %s\n", err);
			return 2;
		}
		if (scap_schema >= 0)
			scap_sink_set_schema(scap, (enum pdig_schema_id)scap_schema);
		sinks_add(scap);
		guard_protect_path(scap_sink_current_path(scap));
		udig_sink_quiet();
	}

	/* the sinks learn processes and fds only through this source */
	static struct procfs_desc_ctx state_ctx;
	static struct state_source state;
	procfs_desc_source(&state_ctx, &state);
	sinks_set_source(&state);

	o.out = (struct tracer_output){ NULL, out_wanted, out_snaplen, out_emit, out_skipped, out_describe, out_intro,
		                        out_shed };
	o.max_cpu = budget;
	o.rules_need = repair ? &rules_need : NULL;
	o.verbose = verbose;
	o.no_follow_cpu = no_follow_cpu;
	/* the CPUs pdig may use by default (docs/scale.md, "The default");
	 * to go back to one, make the default's line `o.threads = 1;` */
	char threads_why[96] = "default";
	if (attach_pid) {
		o.threads = 1;
		snprintf(threads_why, sizeof threads_why, "-p/-P use one");
	} else if (threads) {
		o.threads = threads;
		snprintf(threads_why, sizeof threads_why, "%s", threads_from);
	} else {
		o.threads = tracer_threads_default(threads_why, sizeof threads_why);
	}
	if (verbose)
		fprintf(stderr, "pdig: %u tracer thread%s (%s)\n", o.threads, o.threads == 1 ? "" : "s", threads_why);
	if (attach_pid)
		rc = tracer_attach(attach_pid, tree, inject, &o);
	else
		rc = tracer_spawn(path, argv + optind, &o);

	sinks_flush();
	struct sink_stats tot = sinks_totals();
	if (verbose)
		sinks_each_stats(report_sink, NULL);
	else if (tot.dropped)
		fprintf(stderr, "pdig: %llu events dropped (ring full or write error)\n",
		        (unsigned long long)tot.dropped);
	sinks_close();
	return tracer_release(rc);
}
