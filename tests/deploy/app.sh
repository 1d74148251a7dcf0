#!/bin/bash
# The pod test's application, run as pdig's program (pdig is the image's
# entrypoint). MODE:
#   scenario STATUS  what the rules look for, then exit STATUS
#   serve            read a credential, then run until SIGTERM, which the
#                    trap answers (exit 42)
#   seq N            N numbered file writes, 20 ms apart (the restart test;
#                    run with podman -i)
#   tamper N         N reads of a credential, each after trying to take
#                    the ring's name away (rm, mv) in the shared volume,
#                    which every uid may write (an emptyDir: 0777)
#   bench S          open/close a file as fast as it can for S seconds, then
#                    print the loop count, the time taken and pdig's CPU
#                    time (pdig is the parent: /proc/$PPID/stat)
case $1 in
scenario)
	cat /etc/shadow >/dev/null
	sh -c 'echo a shell spawned by the app'
	/app/tcp_accept 47915 &
	# the listener is a moment away; a refused connect raises no alert
	for i in $(seq 100); do
		(exec 3<>/dev/tcp/127.0.0.1/47915) 2>/dev/null && break
		sleep 0.05
	done
	wait
	exit "$2"
	;;
serve)
	trap 'echo "app: got SIGTERM"; exit 42' TERM
	cat /etc/shadow >/dev/null
	echo "app: serving"
	sleep 1000 &
	wait $!
	;;
seq)
	# paced by read's timeout on the stdin podman keeps open (-i), so each
	# step is one openat and nothing else pdig is told to trace
	for ((i = 1; i <= $2; i++)); do
		: >/tmp/pdig-seq.$i
		read -r -t 0.02 _ # a timeout's status is 142: not the script's
	done
	exit 0
	;;
tamper)
	for ((i = 1; i <= $2; i++)); do
		rm -f /run/pdig/pdig-ring 2>/dev/null && echo "app: removed the ring"
		mv -f /run/pdig/pdig-ring /run/pdig/moved 2>/dev/null && echo "app: renamed the ring"
		cat /etc/shadow >/dev/null
	done
	;;
bench)
	t0=$EPOCHREALTIME n=0
	end=$((SECONDS + $2))
	while [ $SECONDS -lt $end ]; do
		: >/tmp/bench
		n=$((n + 1))
	done
	t1=$EPOCHREALTIME
	read -r -a st </proc/$PPID/stat
	# utime and stime (fields 14 and 15), in clock ticks (100 Hz)
	echo "bench: loops=$n seconds=$(((${t1/./} - ${t0/./}) / 1000))ms pdig_cpu_ticks=$((st[13] + st[14]))"
	;;
esac
