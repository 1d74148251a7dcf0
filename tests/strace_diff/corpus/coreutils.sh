# coreutils doing file work in the current (scratch) directory. `| head`
# would make the writer's fate (SIGPIPE or not) depend on timing, so the
# find output is cut with sed, which reads to the end.
ls -la /etc >/dev/null
mkdir -p d1/d2/d3
cp /etc/hostname d1/d2/d3/h
mv d1/d2/d3/h d1/h2
cat d1/h2 >/dev/null
rm -r d1
find /usr/share/doc -maxdepth 2 -name '*.gz' | sed -n '1,3p' >/dev/null
