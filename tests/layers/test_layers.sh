#!/bin/bash
# The layers and what each may include (README "Layout"):
#   main -> tracer -> procfs -> events -> schema;  main -> sinks -> schema;
#   sinks -> ring; plugin (libpdig.so) -> ring, schema; ring includes nothing;
#   abi (kernel facts) below all but schema, which includes nothing else.
# For every layer, every other layer's public header is compiled with the
# include path the build gives that layer: it must compile exactly when
# the policy allows it. Also: no include climbs out of its folder ("../"),
# which would get round the include paths.
set -u
declare -A allowed=(
	[schema]=""
	[events]="schema abi"
	[procfs]="events schema abi"
	[sinks]="ring schema abi"
	[tracer]="procfs events schema abi"
	[ring]=""
)
# the plugin is not built by the musl build
[ -n "${INC_plugin-}" ] && allowed[plugin]="ring schema"

fail=0 checks=0
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT

for layer in "${!allowed[@]}"; do
	var=INC_$layer
	dirs=${!var-}
	[ -n "$dirs" ] || { echo "FAIL: no include path given for $layer"; fail=1; continue; }
	flags=()
	IFS=: read -ra list <<<"$dirs"
	for d in "${list[@]}"; do flags+=(-I"$d"); done
	for other in abi schema events procfs tracer ring sinks; do
		[ "$other" = "$layer" ] && continue
		want=no
		for a in ${allowed[$layer]}; do [ "$a" = "$other" ] && want=yes; done
		for h in "$SRC/$other/include/$other"/*.h; do
			name="$other/$(basename "$h")"
			printf '#define _GNU_SOURCE\n#include "%s"\n' "$name" >"$probe/p.c"
			if "$CC" -std=gnu11 -fsyntax-only "${flags[@]}" "$probe/p.c" 2>/dev/null; then got=yes; else got=no; fi
			checks=$((checks + 1))
			if [ "$got" != "$want" ]; then
				echo "FAIL: layer $layer including $name: compiles=$got, policy says $want"
				fail=1
			fi
		done
	done
done

# one include style: no path that climbs out of the including file's folder
if grep -rn '#include "\.\./' "$SRC"; then
	echo 'FAIL: includes with "../" get round the layering'
	fail=1
fi
checks=$((checks + 1))

# the ring layer includes nothing of another layer, even by full path
if grep -rhn '#include "' "$SRC/ring" | grep -v '#include "ring/' | grep '/'; then
	echo "FAIL: the ring layer includes another layer"
	fail=1
fi
checks=$((checks + 1))

# the schema layer includes nothing of another layer, even by full path
if grep -rhn '#include "' "$SRC/schema" | grep -v '#include "schema/' | grep '/'; then
	echo "FAIL: the schema layer includes another layer"
	fail=1
fi
checks=$((checks + 1))

[ "$fail" = 0 ] && echo "ok: $checks layering checks"
exit $fail
