/* Makes an exact number of traced syscalls for the loss tests:
 *   loss_calls close N        N x close(-1) (cheap, EBADF)
 *   loss_calls write N SIZE   N x write(/dev/null, SIZE bytes) */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	long n = atol(argv[2]);
	if (strcmp(argv[1], "close") == 0) {
		for (long i = 0; i < n; i++)
			close(-1);
		return 0;
	}
	if (strcmp(argv[1], "write") == 0 && argc > 3) {
		size_t sz = (size_t)atol(argv[3]);
		char *buf = malloc(sz);
		int fd = open("/dev/null", O_WRONLY);
		if (!buf || fd < 0)
			return 1;
		memset(buf, 'w', sz);
		for (long i = 0; i < n; i++)
			if (write(fd, buf, sz) != (ssize_t)sz)
				return 1;
		return 0;
	}
	return 2;
}
