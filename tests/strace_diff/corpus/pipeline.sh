# A shell pipeline and a subshell (fork, exec, pipe, dup2, wait). Every
# writer into a pipe writes its data in one call, so how the reader's
# reads split it cannot depend on scheduling (bash's printf would write
# line by line).
printf 'b\na\nc\n' >in.txt
cat in.txt | sort | tr a-z A-Z >out.txt
( cd /etc && wc -c hostname >/dev/null )
grep -c B out.txt >/dev/null || exit 1
