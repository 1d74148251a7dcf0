# Falco 0.44.1 with the pdig plugin as a live consumer, for the bench
# scripts (consumers.sh, service.sh). Source it; needs W (a work dir),
# FALCO and PLUGIN set.
# falco_consumer_start [PREFIX...]: starts Falco (under PREFIX, e.g.
# taskset -c 1) with the rules in FALCO_RULES, or one rule that never
# fires, sets CPID, returns once the plugin's ring exists.
falco_consumer_start() {
	local rules=${FALCO_RULES:-$W/rules.yaml}
	printf '%s\n' "- rule: never" "  desc: x" "  condition: evt.type=openat and fd.name=/no/such" \
		"  output: x" "  priority: DEBUG" >"$W/rules.yaml"
	: >"$W/empty.yaml"
	"$@" "$FALCO" -c "$W/empty.yaml" -o engine.kind=nodriver -o plugins[0].name=pdig \
		-o "plugins[0].library_path=$PLUGIN" -o load_plugins[0]=pdig -o stdout_output.enabled=true \
		-r "$rules" >"$W/falco.log" 2>&1 &
	CPID=$!
	for _ in $(seq 1000); do [ -e /dev/shm/pdig-ring ] && break; sleep 0.01; done
	sleep 0.5
}
