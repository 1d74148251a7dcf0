# Shared by the tests/modern tests: the e2e helpers, plus sid_sysdig to run
# sysdig 0.41.4 from the sid root (skips the test when the root is absent).
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
SID_SYSDIG=${SID_SYSDIG:-$(dirname "${BASH_SOURCE[0]}")/sid_sysdig.sh}

# sid_need: skip the whole test (77) unless the sid sysdig can run here.
sid_need() {
	local why
	why=$(bash "$SID_SYSDIG" --version 2>&1 >/dev/null)
	case $? in
	0) ;;
	77) skip_test "${why#SKIP: }" ;;
	*) skip_test "sid sysdig does not run: $why" ;;
	esac
}

# sid_read FILE FMT [FILTER...]: sysdig 0.41.4 -r FILE -p FMT, to stdout.
sid_read() {
	local file=$1 fmt=$2; shift 2
	bash "$SID_SYSDIG" -b "$file" -r "$file" -p "$fmt" "$@"
}
