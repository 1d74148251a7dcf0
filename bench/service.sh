#!/bin/bash
# Real services under each tracer, side by side in one run (issue 22).
# Benchmark, not a test: it reports, never fails on a figure.
#
#   bash bench/service.sh [--dur SECS] [--reps R] [--only "nginx-ka nginx-close py"]
#                         [--cells "untraced floor ..."] [--out FILE]
#
# Services:
#   nginx-ka     nginx (Debian nginx-light), one worker, master off, a 6-byte
#                static file, `wrk -t1 -c8` keep-alive
#   nginx-close  the same with `Connection: close`: a new connection per request
#   py           bench/service_py.py, a log shipper: per operation it appends
#                to a spool file (open/write/close/stat) and ships the record
#                over a new loopback TCP connection to a forked collector
# Cells (each pinned and unpinned, rounds interleaved):
#   untraced, floor (bench/floor: the cheapest tracer with pdig's set),
#   strace (strace -f --seccomp-bpf -e trace=<pdig's set>), pdig (no consumer),
#   pdig-w (pdig -w FILE), pdig-udig (pdig + `sysdig -u`), pdig-falco (pdig +
#   Falco 0.44.1 with libpdig.so, a rule that never fires), pdig-w-rules and
#   pdig-falco-rules (the same with `pdig --rules RULES`: only the syscalls
#   the rules name plus libsinsp's repair set; Falco loads RULES too;
#   RULES=tests/falco/rules.yaml unless set in the environment).
# Pinned: the service and its tracer on CPU 0, wrk and the consumer on CPU 1;
# unpinned: nothing pinned. Each figure is the median over R rounds of
# req/s (py: operations/s); ratio = traced / untraced of the same placement.
# Stops per request: pdig's `-v` stop count (floor's for the floor) over the
# requests served in the run (the run's start-up included; small beside
# DUR seconds of load).
#
# Needs root (a private mount namespace with its own /dev/shm, so no other
# ring is met), nginx-light and wrk (`apt-get install nginx-light wrk`; the
# script says so when missing), strace, sysdig; Falco 0.44.1 in
# PDIG_FALCO_DIR (default ../shared/falco) for the Falco cell, skipped
# otherwise. Binaries from $BUILD (default build-bench; built when missing).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DUR=10
REPS=3
ONLY="nginx-ka nginx-close py"
CELLS="untraced floor strace pdig pdig-w pdig-udig pdig-falco pdig-w-rules pdig-falco-rules"
OUT=$ROOT/bench/results/service.md
ORIG_ARGS=("$@")
while [ $# -gt 0 ]; do
	case $1 in
	--dur) DUR=$2; shift 2 ;;
	--reps) REPS=$2; shift 2 ;;
	--only) ONLY=$2; shift 2 ;;
	--cells) CELLS=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	*) sed -n '2,30p' "$0" >&2; exit 2 ;;
	esac
done
KNOWN_CELLS="untraced floor strace pdig pdig-w pdig-udig pdig-falco pdig-w-rules pdig-falco-rules"
for c in $CELLS; do
	case " $KNOWN_CELLS " in *" $c "*) ;; *) echo "service.sh: unknown cell '$c' (cells: $KNOWN_CELLS)" >&2; exit 2 ;; esac
done
for s in $ONLY; do
	case $s in nginx-ka | nginx-close | py) ;; *) echo "service.sh: unknown service '$s' (nginx-ka nginx-close py)" >&2; exit 2 ;; esac
done
missing=
for c in nginx:nginx-light wrk:wrk strace:strace; do
	command -v "${c%%:*}" >/dev/null || [ -x "/usr/sbin/${c%%:*}" ] || missing="$missing ${c#*:}"
done
if [ -n "$missing" ]; then
	echo "service.sh: missing:$missing (as root: apt-get install -y$missing)" >&2
	exit 2
fi
[ "$(id -u)" = 0 ] || { echo "service.sh: needs root (private /dev/shm through unshare -m)" >&2; exit 2; }
if [ "${PDIG_BENCH_ISOLATED:-}" != 1 ]; then
	export PDIG_BENCH_ISOLATED=1
	exec unshare -m --propagation private bash -c \
		'mount -t tmpfs -o size=256m,mode=1777 tmpfs /dev/shm && exec bash "$0" "$@"' "$0" "${ORIG_ARGS[@]}"
fi
B=${BUILD:-$ROOT/build-bench}
if [ ! -x "$B/pdig" ] || [ ! -x "$B/bench/floor" ]; then
	cmake -S "$ROOT" -B "$B" >/dev/null && cmake --build "$B" -j2 >/dev/null || { echo "service.sh: build failed" >&2; exit 2; }
fi
PDIG=$B/pdig
FLOOR=$B/bench/floor
PLUGIN=$B/libpdig.so
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
PY=/usr/bin/python3
FALCO_DIR=${PDIG_FALCO_DIR:-$ROOT/../shared/falco}
[ -d "$FALCO_DIR" ] || FALCO_DIR=$ROOT/../../shared/falco
FALCO=$FALCO_DIR/0.44.1/falco
SET=$("$FLOOR" --print-set)
RULES=${RULES:-$ROOT/tests/falco/rules.yaml}
NCPU=$(nproc)
. "$ROOT/bench/lib_falco.sh"
W=$(mktemp -d /tmp/pdig-svc.XXXXXX)
# Every process started in the background is written to $W/pids (cells
# run in subshells, so a variable would not reach this shell) and taken
# off when waited for; on exit, Ctrl-C or TERM what is left is ended by
# pid (TERM, then KILL), and so is nginx by its pid file (strace and the
# floor leave it running when they go), before $W is removed.
keep_pid() { echo "$1" >>"$W/pids"; }
forget_pid() { [ -f "$W/pids" ] && sed -i "/^$1\$/d" "$W/pids"; }
# run_kept CMD...: runs CMD in the background, kept, and waits for it (a
# signal is then handled at once, not when CMD ends)
run_kept() {
	"$@" &
	local p=$!
	keep_pid "$p"
	wait "$p"
	forget_pid "$p"
}
cleanup() {
	trap - EXIT INT TERM
	local pids
	pids="$(cat "$W/pids" 2>/dev/null) $(cat "$W/ngx/nginx.pid" 2>/dev/null)"
	# shellcheck disable=SC2086
	if [ -n "${pids// /}" ]; then
		kill -TERM $pids 2>/dev/null
		sleep 0.3
		kill -KILL $pids 2>/dev/null
	fi
	rm -rf "$W"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
PORT=$((20000 + RANDOM % 20000))

# --- the services ---------------------------------------------------------
mkdir -p "$W/www" "$W/ngx" "$W/spool"
printf 'hello\n' >"$W/www/f"
cat >"$W/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $W/ngx/nginx.pid;
error_log $W/ngx/error.log crit;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $W/ngx/body;
	proxy_temp_path $W/ngx/proxy;
	fastcgi_temp_path $W/ngx/fcgi;
	uwsgi_temp_path $W/ngx/uwsgi;
	scgi_temp_path $W/ngx/scgi;
	server {
		listen 127.0.0.1:$PORT;
		root $W/www;
	}
}
EOF

# --- tracers and consumers ------------------------------------------------
CPID=
start_consumer() { # CELL PIN
	CPID=
	local pre=()
	[ "$2" = pinned ] && [ "$NCPU" -gt 1 ] && pre=(taskset -c 1)
	case $1 in
	pdig-udig)
		"${pre[@]}" sysdig -u "proc.name=no-such-process" >/dev/null 2>&1 &
		CPID=$!
		for _ in $(seq 500); do [ -e /dev/shm/udig_descs ] && break; sleep 0.01; done
		sleep 0.3 ;;
	pdig-falco)
		falco_consumer_start "${pre[@]}" ;;
	pdig-falco-rules)
		FALCO_RULES=$RULES falco_consumer_start "${pre[@]}" ;;
	esac
	[ -z "$CPID" ] || keep_pid "$CPID"
}

stop_consumer() {
	[ -n "$CPID" ] || return 0
	kill -INT "$CPID" 2>/dev/null
	wait "$CPID" 2>/dev/null
	forget_pid "$CPID"
	CPID=
}

# tracer CELL: the command prefix of a cell (after taskset)
tracer() {
	case $1 in
	untraced) ;;
	floor) echo "$FLOOR -v --" ;;
	strace) echo "strace -f -qq --seccomp-bpf -e trace=$SET -o /dev/null" ;;
	pdig | pdig-udig | pdig-falco) echo "$PDIG -v --" ;;
	pdig-w) echo "$PDIG -v -w $W/cap.scap --" ;;
	pdig-w-rules) echo "$PDIG -v --rules $RULES -w $W/cap.scap --" ;;
	pdig-falco-rules) echo "$PDIG -v --rules $RULES --" ;;
	esac
}

# stops LOG: the stops counted by pdig or the floor, or empty
stops_in() {
	sed -n -e 's/^pdig: stops: \([0-9]*\).*/\1/p' -e 's/^floor: stops=\([0-9]*\).*/\1/p' "$1" | tail -1
}

wait_port() {
	for _ in $(seq 400); do
		(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# run_nginx CELL PIN MODE -> "req_per_s requests stops"
run_nginx() {
	local cell=$1 pin=$2 mode=$3 pre=() wpre=() hdr=()
	if [ "$pin" = pinned ]; then
		pre=(taskset -c 0)
		[ "$NCPU" -gt 1 ] && wpre=(taskset -c 1)
	fi
	[ "$mode" = close ] && hdr=(-H "Connection: close")
	rm -f "$W/ngx/nginx.pid"
	# shellcheck disable=SC2046
	"${pre[@]}" $(tracer "$cell") "$NGINX" -c "$W/nginx.conf" -p "$W/ngx" 2>"$W/tracer.log" &
	local tp=$!
	keep_pid "$tp"
	if ! wait_port; then
		kill "$tp" 2>/dev/null; wait "$tp" 2>/dev/null
		forget_pid "$tp"
		echo "0 0 -"; return
	fi
	run_kept "${wpre[@]}" wrk -t1 -c8 -d"${DUR}s" "${hdr[@]}" "http://127.0.0.1:$PORT/f" >"$W/wrk.out" 2>&1
	local pid; pid=$(cat "$W/ngx/nginx.pid" 2>/dev/null)
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
	wait "$tp" 2>/dev/null
	forget_pid "$tp"
	local rps reqs st
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$W/wrk.out")
	reqs=$(awk '/requests in/ { print $1 }' "$W/wrk.out")
	st=$(stops_in "$W/tracer.log")
	echo "${rps:-0} ${reqs:-0} ${st:--}"
}

# run_py CELL PIN -> "ops_per_s ops stops"
run_py() {
	local cell=$1 pin=$2 pre=()
	[ "$pin" = pinned ] && pre=(taskset -c 0)
	# shellcheck disable=SC2046
	run_kept "${pre[@]}" $(tracer "$cell") "$PY" "$ROOT/bench/service_py.py" "$DUR" "$W/spool" >"$W/py.out" 2>"$W/tracer.log"
	local ops rate st
	ops=$(awk '/^ops / { print $2 }' "$W/py.out")
	rate=$(awk '/^ops / { print $6 }' "$W/py.out")
	st=$(stops_in "$W/tracer.log")
	echo "${rate:-0} ${ops:-0} ${st:--}"
}

run_cell() { # SERVICE CELL PIN
	start_consumer "$2" "$3"
	case $1 in
	nginx-ka) run_nginx "$2" "$3" ka ;;
	nginx-close) run_nginx "$2" "$3" close ;;
	py) run_py "$2" "$3" ;;
	esac
	stop_consumer
	rm -f "$W/cap.scap"
}

have_falco=1
if [ ! -x "$FALCO" ] || [ ! -e "$PLUGIN" ]; then
	have_falco=0
	echo "service.sh: no Falco 0.44.1 at $FALCO_DIR or no $PLUGIN: the pdig-falco cell is left out" >&2
fi
command -v sysdig >/dev/null || echo "service.sh: no sysdig: the pdig-udig cell is left out" >&2
cells=
for c in $CELLS; do
	case $c in pdig-falco*) [ $have_falco = 0 ] && continue ;; esac
	[ "$c" = pdig-udig ] && ! command -v sysdig >/dev/null && continue
	cells="$cells $c"
done

: >"$W/raw"
for r in $(seq "$REPS"); do
	for svc in $ONLY; do
		for pin in pinned unpinned; do
			for c in $cells; do
				run_kept run_cell "$svc" "$c" "$pin" >"$W/res"
				res=$(cat "$W/res")
				echo "$svc $pin $c $res" >>"$W/raw"
				echo "round $r: $svc $pin $c: $res" >&2
			done
		done
	done
done

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# cellval SVC PIN CELL FIELD: median of a field (4 rate, 5 count, 6 stops)
cellval() { awk -v s="$1" -v p="$2" -v c="$3" -v f="$4" '$1 == s && $2 == p && $3 == c && $f != "-" { print $f }' "$W/raw" | median; }

{
	echo "# Real services under each tracer ($(date -u '+%Y-%m-%d %H:%M UTC'))"
	echo
	echo "Machine: $NCPU vCPUs, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg) at the end."
	echo "Command: \`bash bench/service.sh --dur $DUR --reps $REPS\`; nginx $("$NGINX" -v 2>&1 | sed 's/.*\///'), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')."
	echo "Figures: medians of $REPS interleaved rounds of $DUR s; ratio = traced / untraced, same placement."
	echo "Stops/req: pdig's (floor's) stop count over the requests of the run, start-up included."
	echo "Rules of the -rules cells: $RULES."
	echo
	echo "| service | cell | pinned req/s | ratio | unpinned req/s | ratio | stops/req (pinned) |"
	echo "|---|---|---:|---:|---:|---:|---:|"
	for svc in $ONLY; do
		bp=$(cellval "$svc" pinned untraced 4)
		bu=$(cellval "$svc" unpinned untraced 4)
		for c in $cells; do
			p=$(cellval "$svc" pinned "$c" 4)
			u=$(cellval "$svc" unpinned "$c" 4)
			n=$(cellval "$svc" pinned "$c" 5)
			st=$(cellval "$svc" pinned "$c" 6)
			awk -v svc="$svc" -v c="$c" -v p="$p" -v u="$u" -v bp="$bp" -v bu="$bu" -v n="$n" -v st="$st" 'BEGIN {
				rp = (bp + 0 > 0 && p != "-") ? sprintf("%.2f", p / bp) : "-"
				ru = (bu + 0 > 0 && u != "-") ? sprintf("%.2f", u / bu) : "-"
				spr = (st != "-" && n + 0 > 0) ? sprintf("%.1f", st / n) : "-"
				printf "| %s | %s | %.0f | %s | %.0f | %s | %s |\n", svc, c, p, rp, u, ru, spr
			}'
		done
	done
} | tee "$OUT"
cp "$W/raw" "${OUT%.md}.raw"
