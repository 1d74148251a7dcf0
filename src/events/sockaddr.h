/* Packing of socket addresses into SOCKADDR and SOCKTUPLE values
 * (docs/scap-event.md §7, §8), following the kernel driver's pack_addr and
 * fd_to_socktuple. */
#ifndef PDIG_SOCKADDR_H
#define PDIG_SOCKADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "events/encoder.h"

/* Room for any packed value: UNIX tuple = 1 + 8 + 8 + 108. */
#define SA_PACK_MAX 128
/* Longest path a UNIX value carries, '@' included, NUL excluded. */
#define SA_UNIX_PATH_MAX 107

/* Copies a tracee sockaddr of ulen bytes into *out (zero-filled first).
 * Returns ulen (0 = nothing to copy), or -1 when ulen is negative or larger
 * than a sockaddr_storage, or the memory is unreadable. */
int sa_read(const struct tracee_mem *m, uint64_t addr, int64_t ulen,
	    struct sockaddr_storage *out);

/* Path of a UNIX address of len bytes into dst[SA_UNIX_PATH_MAX + 1];
 * an abstract name (leading NUL) gets a leading '@'. Returns its length. */
size_t sa_unix_path(const struct sockaddr_storage *sa, size_t len, char *dst);

/* SOCKADDR value of an address of len bytes; 0 for other families. */
size_t sa_pack_addr(const struct sockaddr_storage *sa, size_t len, uint8_t *out);

/* One side of a connection as fd_to_socktuple sees it. */
struct sa_tuple {
	int family;                             /* socket's native AF */
	const struct sockaddr_storage *local;   /* this socket's name */
	const struct sockaddr_storage *remote;  /* the other end */
	bool inbound;                           /* accept/recv: remote -> local */
	uint64_t self_id, peer_id;              /* AF_UNIX socket identities */
	const struct sockaddr_storage *unix_name; /* AF_UNIX path to show */
	size_t unix_name_len;
};

/* SOCKTUPLE value; 0 for families without a tuple form. */
size_t sa_pack_tuple(const struct sa_tuple *t, uint8_t *out);

#endif
