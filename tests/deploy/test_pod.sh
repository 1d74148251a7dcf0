#!/bin/bash
# Issue 21: the deployment shape, end to end under a real OCI runtime
# (podman with runc). One pod, sharing the network and PID namespaces but
# NOT the IPC namespace (ECS Fargate has no ipcMode: /dev/shm is private to
# each container):
#   falco      Falco 0.44.1 with the pdig plugin, from a local root (the
#              host's Falco binary and the libraries ldd lists) and
#              deploy/falco.yaml; it makes the ring in the shared volume
#   app        pdig's image copied into a FROM scratch application image
#              with the README's two lines; pdig is the entrypoint, as
#              user 65534 with every capability dropped and the runtime's
#              default seccomp profile
#   app-serve  a second application container feeding the same Falco
# The volume is a host folder mounted at /run/pdig in each (an ECS bind
# mount volume, a Kubernetes emptyDir). The PID namespace is shared
# because two pdigs in two PID namespaces would give Falco colliding
# thread ids (pdig reports the ids it sees); one app container alone
# would not need it.
. "$(dirname "$0")/../e2e/lib.sh"
TESTS_DEPLOY=$(cd "$(dirname "$0")" && pwd)
SRC=${SOURCE_DIR:-$(cd "$TESTS_DEPLOY/../.." && pwd)}
PLUGIN=${PLUGIN:-}
# Falco 0.44.1 by default; PDIG_DEPLOY_FALCO=0.42.0 runs the same pod with it
FV=${PDIG_DEPLOY_FALCO:-0.44.1}
FALCO=${PDIG_FALCO_DIR:-}/$FV/falco

[ "$(id -u)" = 0 ] || skip_test "needs root (rootful podman)"
command -v podman >/dev/null || skip_test "needs podman (scripts/test.sh installs it)"
command -v runc >/dev/null || skip_test "needs runc (scripts/test.sh installs it)"
[ -n "$PLUGIN" ] || skip_test "no libpdig.so in this build (the musl build has no plugin)"
file -L "$PDIG" | grep -q 'statically linked' ||
	skip_test "needs the static pdig for a FROM scratch image: scripts/test.sh runs this test with PDIG_UNDER_TEST=<musl build's pdig>"
[ -x "$FALCO" ] || skip_test "no Falco $FV at $FALCO (set PDIG_FALCO_DIR)"
[ -z "$(ldd "$FALCO" | grep 'not found')" ] || skip_test "Falco $FV lacks runtime libraries"
[ -x "$HELPERS/tcp_accept" ] || skip_test "no tcp_accept helper in $HELPERS"

# This machine: crun refuses the hybrid cgroups, and the sandbox refuses
# to raise RLIMIT_NOFILE/NPROC, so runc, cgroupfs and no default ulimits.
# (Outside $WORK: finish removes $WORK before the EXIT trap's cleanup.)
CONTAINERS_CONF=$(mktemp /tmp/pdig-containers-XXXXXX.conf)
printf '[containers]\ndefault_ulimits = []\n' >"$CONTAINERS_CONF"
export CONTAINERS_CONF
export PODMAN="podman --runtime runc --cgroup-manager=cgroupfs"
pm() { $PODMAN "$@"; }

POD=pdig-test-$$
# Images of this run only (tests in other worktrees may run at once: a
# fixed name would let one remove, or COPY --from, another's); both are
# removed at the end, and built without intermediate images.
PDIG_IMG=localhost/pdig:test-$$
APP_IMG=localhost/pdig-test-app:$$
cleanup() {
	pm pod rm -f "$POD" >/dev/null 2>&1
	pm rmi "$APP_IMG" "$PDIG_IMG" >/dev/null 2>&1
	rm -f "$CONTAINERS_CONF"
}
trap cleanup EXIT
pm info >"$WORK/podman-info" 2>&1 || skip_test "podman cannot run here: $(tail -1 "$WORK/podman-info")"
# podman info works where containers cannot start (no runtime rights, no
# cgroups): run the smallest container, the static pdig alone in a root
mkdir -p "$WORK/probe-root"
cp "$PDIG" "$WORK/probe-root/pdig"
pm run --rm --rootfs "$WORK/probe-root" /pdig --version >"$WORK/probe.out" 2>&1 ||
	skip_test "podman cannot run a container here: $(tail -1 "$WORK/probe.out")"

# copy_with_libs ROOT FILE...: FILE and the shared libraries ldd lists,
# at the same paths under ROOT
copy_with_libs() {
	local root=$1 f
	shift
	for f in "$@"; do
		cp -L --parents "$f" "$root"
		ldd "$f" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
			[ -e "$root$lib" ] || cp -L --parents "$lib" "$root"
		done
	done
}

# ---- images and roots -------------------------------------------------
dangling() { pm images -q -f dangling=true | wc -l; }
dangling_before=$(dangling)
t0=$(date +%s.%N)
"$SRC/deploy/build-image.sh" "$PDIG" "$PLUGIN" "$PDIG_IMG" >/dev/null ||
	{ fail "deploy/build-image.sh failed"; finish; }
ok "pdig's image built offline (FROM scratch: $(pm image inspect -f '{{.Size}}' "$PDIG_IMG") bytes)"

ctx=$WORK/app-ctx
mkdir -p "$ctx/root/app" "$ctx/root/etc" "$ctx/root/tmp"
chmod 1777 "$ctx/root/tmp"
copy_with_libs "$ctx/root" /bin/bash /bin/cat /bin/sleep /usr/bin/seq /bin/rm /bin/mv
ln -s bash "$ctx/root/bin/sh"
install -m 0755 "$TESTS_DEPLOY/app.sh" "$HELPERS/tcp_accept" "$ctx/root/app/"
copy_with_libs "$ctx/root" "$HELPERS/tcp_accept"
printf 'root:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n' >"$ctx/root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ctx/root/etc/group"
# a credential file the unprivileged app can read: the read must succeed
# for the rule (as in an image that ships a readable secret)
printf 'root:*:19000:0:99999:7:::\n' >"$ctx/root/etc/shadow"
chmod 0644 "$ctx/root/etc/shadow"
# the README's lines, with this run's pdig image in place of localhost/pdig:latest
sed "s|--from=localhost/pdig:latest |--from=$PDIG_IMG |" "$TESTS_DEPLOY/app.Containerfile" >"$ctx/Containerfile"
grep -q -- "--from=$PDIG_IMG " "$ctx/Containerfile" || { fail "app.Containerfile has no COPY --from=localhost/pdig:latest"; finish; }
pm build --pull=never --layers=false -q -f "$ctx/Containerfile" -t "$APP_IMG" "$ctx" >/dev/null ||
	{ fail "the application image (app.Containerfile) did not build"; finish; }
ok "application image built with the README's COPY --from and ENTRYPOINT lines"
expect_eq "$(dangling)" "$dangling_before" "the builds left no dangling image"

froot=$WORK/falco-root
mkdir -p "$froot/usr/bin" "$froot/usr/share/pdig" "$froot/etc/falco/rules.d" "$froot/tmp"
copy_with_libs "$froot" "$FALCO" "$PLUGIN"
mv "$froot$FALCO" "$froot/usr/bin/falco"
mv "$froot$PLUGIN" "$froot/usr/share/pdig/libpdig.so"
cp "$SRC/deploy/falco.yaml" "$froot/etc/falco/falco.yaml"
cp "$SRC/deploy/pdig_rules.yaml" "$froot/etc/falco/pdig_rules.yaml"
cp "$TESTS_DEPLOY/rules.yaml" "$froot/etc/falco/rules.d/pdig-test.yaml"
t1=$(date +%s.%N)
ok "images and Falco's root made in $(awk "BEGIN {printf \"%.1f\", $t1 - $t0}") s"

# ---- the pod ----------------------------------------------------------
# as a Kubernetes emptyDir: every uid may write it, and no sticky bit
# keeps the app from removing or renaming Falco's ring there
vol=$WORK/volume
mkdir -p "$vol"
chmod 0777 "$vol"
pm pod create --name "$POD" --share net,pid,uts >/dev/null || { fail "pod create"; finish; }
APP=(--pod "$POD" --user 65534:65534 --cap-drop=all --security-opt no-new-privileges -e PDIG_RING_DIR=/run/pdig -v "$vol:/run/pdig")

# The second app container starts first, before Falco, as nothing orders
# containers in a pod: PDIG_WAIT_CONSUMER (the recipes set it) holds its
# program back until Falco's plugin has made the ring, so its very first
# action (a credential read) alerts. It stays up.
pm run -d "${APP[@]}" -e PDIG_WAIT_CONSUMER=30 --name "$POD-serve" "$APP_IMG" serve >/dev/null ||
	fail "app-serve did not start"
sleep 1
# Falco needs no capability: no driver, and the plugin only makes a file
pm run -d --pod "$POD" --name "$POD-falco" --cap-drop=all -v "$vol:/run/pdig" --rootfs "$froot" \
	/usr/bin/falco -c /etc/falco/falco.yaml -U >/dev/null || { fail "Falco container did not start"; finish; }
falco_log() { pm logs "$POD-falco" >"$WORK/falco.out" 2>&1; }
# wait_alert TAG N: until Falco printed N alerts with TAG (10 s)
wait_alert() {
	local i
	for i in $(seq 100); do
		falco_log
		[ "$(grep -c -- "$1" "$WORK/falco.out")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
wait_ring_file() {
	local i
	for i in $(seq 200); do [ -e "$vol/pdig-ring" ] && return 0; sleep 0.1; done
	return 1
}
wait_ring_file || { falco_log; fail "Falco made no ring in the volume: $(tail -5 "$WORK/falco.out")"; finish; }
ok "Falco's plugin made the ring in the shared volume"

wait_alert 'SENSITIVE_READ .*pcmdline=app.sh /app/app.sh serve' 1 &&
	ok "app-serve, started 1 s before Falco, waited for it: its first action alerted" ||
	fail "no alert from app-serve's first action (started before Falco)"

# no shared IPC namespace; the PID namespace is shared
ns() { readlink "/proc/$(pm inspect -f '{{.State.Pid}}' "$1")/ns/$2"; }
[ "$(ns "$POD-falco" ipc)" != "$(ns "$POD-serve" ipc)" ] && ok "Falco and the app do not share an IPC namespace (/dev/shm)" ||
	fail "the pod shares its IPC namespace"

# ---- the app: alerts and exit status ---------------------------------
pm run --rm "${APP[@]}" --name "$POD-app" "$APP_IMG" scenario 7 >"$WORK/app.out" 2>&1
expect_eq "$?" 7 "the app container's exit status is the program's (7)"
wait_alert OUTBOUND 1
falco_log
expect_grep "$WORK/falco.out" 'SENSITIVE_READ file=/etc/shadow proc=cat pcmdline=app.sh /app/app.sh scenario 7 uid=65534' \
	"Falco alerts on the app's read of /etc/shadow"
expect_grep "$WORK/falco.out" 'OUTBOUND tuple=127.0.0.1:[0-9]+->127.0.0.1:47915 proc=app.sh sport=47915' \
	"Falco alerts on the app's outbound connect"
expect_grep "$WORK/falco.out" 'SENSITIVE_READ file=/etc/shadow proc=cat pcmdline=app.sh /app/app.sh serve' \
	"a second app container (app-serve) feeds the same Falco"

expect_grep "$WORK/falco.out" 'SHELL_SPAWN proc=sh pname=app.sh cmdline=sh -c echo a shell spawned by the app uid=65534' \
	"Falco alerts on the shell the app spawned"

# ---- the app tries to blind Falco -----------------------------------------
# In the 0777 volume the app's uid may remove or rename Falco's ring (pdig
# would then let go of it); pdig's guard refuses both, so every read alerts.
pm run --rm "${APP[@]}" --name "$POD-tamper" "$APP_IMG" tamper 20 >"$WORK/tamper.out" 2>&1
expect_eq "$?" 0 "the tampering app ran"
expect_no_grep "$WORK/tamper.out" 'removed|renamed' "the app could neither remove nor rename the ring"
wait_alert 'pcmdline=app.sh /app/app.sh tamper 20' 20
falco_log
expect_eq "$(grep -c 'SENSITIVE_READ .*pcmdline=app.sh /app/app.sh tamper 20' "$WORK/falco.out")" 20 \
	"each of the 20 reads after an rm/mv of the ring alerted"

# ---- restarting Falco ---------------------------------------------------
# 300 numbered writes, one alert each; Falco is restarted in the middle.
# While no plugin holds the ring pdig counts what it cannot deliver
# (discarded), and the plugin closing the old ring says how many events
# it left unread; nothing may go missing beyond those two counts, and
# once the new Falco has made its ring every write reaches it again.
VERBOSE=(--entrypoint '["/usr/local/bin/pdig", "-v", "--", "/app/app.sh"]')
pm run -d -i "${APP[@]}" --entrypoint '["/usr/local/bin/pdig", "-v", "-e", "trace=openat", "--", "/app/app.sh"]' \
	--name "$POD-seq" "$APP_IMG" seq 300 >/dev/null
wait_alert SEQ 60 || fail "the numbered writes did not reach Falco"
pm restart -t 10 "$POD-falco" >/dev/null || fail "podman restart of the Falco container"
expect_eq "$(pm wait "$POD-seq")" 0 "the numbered writes ran to the end"
wait_alert 'pdig-seq\.300' 1 || fail "the last numbered write did not reach the restarted Falco"
falco_log
pm logs "$POD-seq" >"$WORK/seq.out" 2>&1
expect_eq "$(grep -c 'Opening .syscall. source with plugin .pdig.' "$WORK/falco.out")" 2 "Falco was restarted once"
grep -o 'pdig-seq\.[0-9]*' "$WORK/falco.out" | cut -d. -f2 | sort -n >"$WORK/seq.seen"
seen=$(wc -l <"$WORK/seq.seen")
expect_eq "$(sort -un "$WORK/seq.seen" | wc -l)" "$seen" "no numbered write alerted twice"
# the numbers missing form at most one run: the restart's
missing=$(seq 300 | grep -vxFf "$WORK/seq.seen" | tr '\n' ' ')
runs=$(seq 300 | grep -vxFf "$WORK/seq.seen" | awk 'NR > 1 && $1 != prev + 1 {r++} {prev = $1} END {print NR ? r + 1 : 0}')
expect_grep "$WORK/seq.out" '^pdig: ring: events written [0-9]+, dropped 0,' "pdig dropped no event"
discarded=$(grep -o 'discarded (no plugin attached) [0-9]*' "$WORK/seq.out" | grep -o '[0-9]*$')
unread=$(grep -o 'with [0-9]* events unread' "$WORK/falco.out" | awk '{n += $2} END {print n + 0}')
nmiss=$(echo $missing | wc -w)
batch=$(grep -o 'last batch held [0-9]*' "$WORK/falco.out" | awk '{n += $4} END {print n + 0}')
counted=$((${discarded:-0} + unread))
# Each write is one openat (enter and exit: 2 events; pdig traces only
# openat here), so the lost writes are 2 x missing events. Counted: pdig's
# discarded, and what the plugin left unread. Beyond that only the rest
# of the last batch Falco took before it stopped may be missing (Falco
# does not process it, and only Falco could count it; the plugin gives
# the batch's size). A write whose enter was lost but whose exit arrived
# adds one counted event at each edge of the gap.
echo "restart: $seen of 300 writes alerted; missing: ${missing:-none}; pdig discarded ${discarded:-?} events, the closing plugin reported $unread unread, last batch $batch"
if [ "$runs" -le 1 ] && [ $((2 * nmiss)) -le $((counted + batch)) ] && [ "$counted" -le $((2 * nmiss + 2)) ]; then
	ok "restarting Falco lost $nmiss writes in one run ($((2 * nmiss)) events): $counted counted (pdig's discarded $discarded + unread at the plugin's close $unread), $((2 * nmiss - counted < 0 ? 0 : 2 * nmiss - counted)) within Falco's last batch of $batch"
else
	fail "restarting Falco lost writes beyond what is counted: $nmiss writes missing in $runs runs ($((2 * nmiss)) events), counted $counted (discarded ${discarded:-?}, unread $unread), last batch $batch"
fi
expect_no_grep "$WORK/falco.out" 'skipping events|dropped [1-9]' "the plugin skipped or saw dropped no event"
# pdig told the restarted Falco what it discarded meanwhile (app-serve,
# asleep through the restart, discarded nothing)
told=$(grep -o 'pdig producers discarded [0-9]* events while no consumer' "$WORK/falco.out" | awk '{print $4}' | sort -n | tail -1)
expect_eq "${told:-none}" "${discarded:-?}" "the restarted Falco's plugin logged the events pdig discarded while it was down"

# ---- throughput and pdig's CPU ---------------------------------------------
pm run --rm "${APP[@]}" "${VERBOSE[@]}" --name "$POD-bench" "$APP_IMG" bench 3 >"$WORK/bench.out" 2>&1
written=$(grep -o 'ring: events written [0-9]*' "$WORK/bench.out" | grep -o '[0-9]*$')
ms=$(grep -o 'seconds=[0-9]*' "$WORK/bench.out" | grep -o '[0-9]*$')
ticks=$(grep -o 'pdig_cpu_ticks=[0-9]*' "$WORK/bench.out" | grep -o '[0-9]*$')
if [ -n "$written" ] && [ -n "$ms" ] && [ -n "$ticks" ] && [ "$ms" -gt 0 ]; then
	expect_grep "$WORK/bench.out" '^pdig: ring: events written [0-9]+, dropped 0,' "the bench: every event went into Falco's ring"
	echo "FIGURES: $(date -u '+%F %H:%M UTC') $(nproc) CPUs: $written events in $ms ms = $((written * 1000 / ms)) events/s to Falco; pdig CPU $((ticks * 10)) ms = $((ticks * 1000 / ms))% of one CPU"
else
	fail "the bench printed no figures: $(cat "$WORK/bench.out")"
fi

# ---- SIGTERM from podman stop ------------------------------------------
ts=$(date +%s%N)
pm stop -t 10 "$POD-serve" >/dev/null
took=$((($(date +%s%N) - ts) / 1000000))
expect_eq "$(pm inspect -f '{{.State.ExitCode}}' "$POD-serve")" 42 "podman stop: the app's SIGTERM trap ran (exit 42 is the container's status)"
pm logs "$POD-serve" >"$WORK/serve.out" 2>&1
expect_grep "$WORK/serve.out" '^app: got SIGTERM' "podman stop: SIGTERM reached the app through pdig"
[ "$took" -lt 5000 ] && ok "podman stop took $took ms (no SIGKILL after the 10 s grace)" || fail "podman stop took $took ms"
# The pod's end, as kubelet and ECS do it: the containers get SIGTERM,
# then the sandbox goes. (`podman pod stop` alone stops the infra
# container, PID 1 of the shared PID namespace, at the same time, and the
# kernel then kills Falco: status 137.)
ts=$(date +%s%N)
pm stop -t 10 "$POD-falco" >/dev/null || fail "podman stop of Falco"
pm pod stop -t 10 "$POD" >/dev/null || fail "podman pod stop"
took=$((($(date +%s%N) - ts) / 1000000))
expect_eq "$(pm inspect -f '{{.State.ExitCode}}' "$POD-falco")" 0 "the pod ends cleanly: Falco exits 0 on SIGTERM"
[ "$took" -lt 5000 ] && ok "Falco and the pod stopped in $took ms" || fail "stopping Falco and the pod took $took ms"
falco_log
expect_eq "$(grep -c '^Events detected:' "$WORK/falco.out")" 2 "both Falco runs ended with their summary"
expect_no_grep "$WORK/falco.out" 'pdig-ring: .*(error|lost)' "the plugin reported no ring trouble"
pm pod rm -f "$POD" >/dev/null

# ---- a seccomp profile without ptrace ---------------------------------------
python3 - "$WORK/noptrace.json" <<'PY'
import json, sys
p = json.load(open("/usr/share/containers/seccomp.json"))
for rule in p["syscalls"]:
    rule["names"] = [n for n in rule["names"] if n != "ptrace"]
json.dump(p, open(sys.argv[1], "w"))
PY
pm run --rm --user 65534:65534 --cap-drop=all --security-opt "seccomp=$WORK/noptrace.json" \
	"$APP_IMG" scenario 0 >"$WORK/noptrace.out" 2>&1
expect_eq "$?" 1 "without ptrace in the seccomp profile pdig exits 1"
expect_eq "$(wc -l <"$WORK/noptrace.out")" 1 "and prints one line"
expect_grep "$WORK/noptrace.out" '^pdig: the seccomp profile forbids ptrace .*allow the ptrace syscall' \
	"the line names what to allow: $(cat "$WORK/noptrace.out")"
finish
