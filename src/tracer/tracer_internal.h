/* State and helpers shared by the tracer's parts (core loop, spawn,
 * attach, seccomp injection). Nothing outside src/tracer uses this. */
#ifndef PDIG_TRACER_INTERNAL_H
#define PDIG_TRACER_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../events/encoder.h"
#include "seccomp.h"
#include "threads.h"
#include "tracer.h"

enum mem_phase { MEM_PLAIN, MEM_ENTRY, MEM_EXIT };

struct mem_ctx {
	pid_t tid;
	int peek_only;
	enum mem_phase phase; /* entry: keep strings; exit: recall them */
	/* 8 bytes at pin_addr already read (clone3 flags), or pin NULL */
	const uint64_t *pin;
	uint64_t pin_addr;
};

/* Forget the strings kept for tid's current syscall. */
void mem_release(pid_t tid);
/* Hand them to another tid (exec from a non-leader thread). */
void mem_rename(pid_t from, pid_t to);

void tracee_mem_init(struct tracee_mem *mem, struct mem_ctx *ctx);

struct tracer_state {
	struct syscall_set set;
	pid_t main_pid;          /* whose exit status pdig returns */
	int main_status;         /* raw wait status, -1 until known */
	bool attach_mode;        /* tracees are not ours: never kill them */
	bool inject_seccomp;     /* -S: put the filter into attached processes */
	volatile sig_atomic_t filter_injected; /* a process now has the filter */
	bool init_process;       /* pdig is PID 1 of its namespace (container entrypoint) */
	volatile sig_atomic_t detach_requested;
	volatile sig_atomic_t stop_signals; /* SIGINT/TERM/HUP received */
	uint64_t encode_failures;
	uint64_t unrecorded_compat;  /* 32-bit-ABI calls with no x86-64 event */
	int verbose;
};

extern struct tracer_state tracer;

/* ptrace options: the same for spawned and attached tracees, except that
 * attached ones must never be killed when pdig exits. */
unsigned long tracer_options(void);

void core_init(const struct tracer_opts *o);
/* Handle one waitpid report. */
void core_on_stop(pid_t tid, int status);
void core_on_death(pid_t tid, int status);
/* The wait loop; returns when no tracee is left or a detach is requested. */
void core_loop(void);
/* Emit the child side of a fork for a process that pdig did not see being
 * created (the spawned program, attached processes). */
void core_describe_new_process(struct thread *t);
/* Exit code from a raw wait status. */
int core_exit_code(int status);

/* The x86-64 number of a syscall made through any x86 ABI, or COMPAT_NONE
 * if it has no x86-64 twin (then counted in *unrecorded when traced). */
#define COMPAT_NONE ((uint64_t)-1)
uint64_t compat_native_nr(uint32_t arch, uint64_t nr, uint64_t *unrecorded);

/* CLOCK_MONOTONIC in ns (placement.c) */
uint64_t tracer_mono_ns(void);

/* CPU placement: keep pdig on the CPU of the tracee it serves. */
void placement_init(bool on);
void placement_follow(struct thread *t);
/* After every wait: the idle assist's starvation check. */
void placement_tick(void);
/* pdig runs as SCHED_IDLE on the tracee's CPU right now */
bool placement_assisting(void);
/* Polling for stops pays: the tracee last sampled runs on a CPU pdig was
 * not given, or pdig follows one thread without the idle assist. */
bool placement_poll_wanted(void);

/* Waiting for the next stop (waiting.c): polls briefly before blocking
 * while placement_poll_wanted() and polling catches stops;
 * waitpid(-1, status, __WALL) otherwise. */
void waiting_init(bool on);
pid_t tracer_wait(int *status);
void waiting_report(void); /* with -v */

/* Clear CLONE_UNTRACED from a clone/clone3 at its entry stop (args are
 * updated to what the kernel will see; sp is the thread's stack pointer). */
void keep_traced(struct thread *t, uint32_t arch, uint64_t nr, uint64_t *args, uint64_t sp);

/* Seccomp injection into an attached process, at a syscall-entry stop of
 * thread t. Returns 0 when the filter is in place for the whole process
 * (the thread re-issues its syscall), -1 if nothing changed, 1 if it failed
 * after the thread was moved (it re-issues its syscall, unfiltered). */
int inject_seccomp(struct thread *t);

#endif
