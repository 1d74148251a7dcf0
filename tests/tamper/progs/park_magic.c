/* pause(PARK_MAGIC) then pause(0), each ended by SIGALRM: with one tracer
 * thread pdig must trace both (the park call is let through only where
 * tracees are handed between tracer threads). */
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

static void on_alarm(int s)
{
	(void)s;
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	alarm(1);
	syscall(SYS_pause, 0x7061726b70646967ull);
	alarm(1);
	syscall(SYS_pause, 0);
	return 0;
}
