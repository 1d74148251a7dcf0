/* The fileless exec Falco's memfd rule looks for: copy a program into an
 * anonymous memfd and execute that fd (fexecve). usage: memfd_exec PROGRAM [ARGS] */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int src = open(argv[1], O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (src < 0 || fstat(src, &st) < 0)
		return 3;
	int mfd = memfd_create("payload", MFD_CLOEXEC);
	if (mfd < 0)
		return 4;
	off_t off = 0;
	while (off < st.st_size)
		if (sendfile(mfd, src, &off, (size_t)(st.st_size - off)) <= 0)
			return 5;
	fexecve(mfd, argv + 1, environ);
	perror("fexecve");
	return 6;
}
