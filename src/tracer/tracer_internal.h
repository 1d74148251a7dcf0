#ifndef PDIG_TRACER_INTERNAL_H
#define PDIG_TRACER_INTERNAL_H

#include <sys/types.h>

#include "../events/encoder.h"

struct mem_ctx {
	pid_t tid;
	int peek_only;
};

void tracee_mem_init(struct tracee_mem *mem, struct mem_ctx *ctx);

#endif
