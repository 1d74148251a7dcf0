/* pause(PARK_MAGIC) then pause(0), each ended by SIGALRM: pdig must trace
 * both, with any number of tracer threads (the old park's pause, which the
 * filter once let through, is gone). */
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
