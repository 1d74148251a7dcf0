# A capture pdig writes in a current schema (-w --schema) replays in the
# real Falco 0.42.0 and 0.44.1: rules modelled on Falco's stable rules fire
# on real programs run under pdig (a shell, a sensitive file read, a write
# below /etc, an outbound connect, a fileless memfd exec, a process tree)
# and stay quiet on the controls beside them.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib_falco.sh"
[ "$(id -u)" = 0 ] || skip_test "needs root (the write-below-/etc scenario)"
command -v python3 >/dev/null || skip_test "needs python3 (the connect scenario's listener)"

touch "$WORK/pdig-tree-marker" "$WORK/pdig-fields-marker"
cat >"$WORK/scenario.sh" <<SCEN
cat /etc/shadow >/dev/null
cat /etc/hostname >/dev/null
echo x >/etc/pdig-falco-test.\$\$; rm -f /etc/pdig-falco-test.\$\$
echo x >$WORK/not-etc
bash -c 'exec 3<>/dev/tcp/127.0.0.1/47913; exec 3>&-'
$HELPERS/memfd_exec /bin/cat /dev/null
/bin/true
bash -c 'sh -c "cat $WORK/pdig-tree-marker; true"; true'
cat $WORK/pdig-fields-marker
SCEN

for version in 0.42.0 0.44.1; do
	falco_bin "$version" >/dev/null
	schema=$(falco_schema "$version")
	cap="$WORK/$version.scap"
	python3 -c 'import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 47913)); s.listen(); s.settimeout(20); c, _ = s.accept()' &
	lp=$!
	sleep 0.3
	"$PDIG" --schema "$schema" -w "$cap" bash "$WORK/scenario.sh"
	rc=$?
	wait $lp
	expect_eq "$rc" 0 "pdig's exit status under $schema"
	out="$WORK/$version.out"
	falco_replay "$version" "$cap" "$out"

	expect_grep "$out" "SENSITIVE_READ file=/etc/shadow proc=cat pname=bash uid=0" "$version: the shadow read"
	expect_no_grep "$out" "SENSITIVE_READ file=/etc/hostname" "$version: no alert on /etc/hostname"
	expect_grep "$out" "WRITE_ETC file=/etc/pdig-falco-test" "$version: the write below /etc"
	expect_no_grep "$out" "WRITE_ETC file=$WORK" "$version: no write alert outside /etc"
	expect_grep "$out" "OUTBOUND tuple=127.0.0.1:[0-9]*->127.0.0.1:47913 proc=bash sip=127.0.0.1 sport=47913" "$version: the outbound connect"
	expect_grep "$out" "FILELESS proc=memfd:payload exe=/bin/cat exepath=/memfd:payload pname=bash" "$version: the fileless exec (the program that fexecve()d becomes it, so the parent is the shell)"
	expect_eq "$(grep -c FILELESS "$out")" 1 "$version: one fileless alert (not /bin/true)"
	expect_grep "$out" "TREE proc=cat pname=sh aname2=bash" "$version: the tree"
	expect_grep "$out" "SHELL_SPAWN proc=sh pname=bash" "$version: a shell spawned by a shell"
	if grep FIELDS "$out" | grep -q '<NA>'; then
		fail "$version: process fields left <NA>: $(grep FIELDS "$out" | tr ' ' '\n' | grep '<NA>' | tr '\n' ' ')"
	else
		expect_grep "$out" "FIELDS uid=0 " "$version: the process fields"
	fi
done
finish
