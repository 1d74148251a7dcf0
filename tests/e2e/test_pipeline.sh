#!/bin/bash
# A shell pipeline with a redirect: the process tree, the ppids, and every
# execve's exe and args. Fields are '#'-separated: the command has '|' and ';'.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
F='*%proc.name#%proc.pid#%proc.ppid#%thread.tid#%evt.dir#%evt.type#%evt.res#%proc.exe#%proc.args#%fd.name#%evt.args'
echo "hello pipeline" >"$WORK/in.txt"
consume_run "$WORK/out" "$F" -- "$PDIG" /bin/sh -c "cat $WORK/in.txt | tr a-z A-Z > $WORK/result.txt; echo \$\$ > $WORK/shpid"
expect_eq "$PRC" 0 "pipeline exits 0"
expect_eq "$(cat "$WORK/result.txt")" "HELLO PIPELINE" "pipeline output is right"
shpid=$(cat "$WORK/shpid")
expect_grep "$WORK/out" "^sh#$shpid#[0-9]+#$shpid#<#execve#SUCCESS#/bin/sh#-c cat " "sh execve: exe and args"
cat_line=$(grep -E '^cat#[0-9]+#[0-9]+#[0-9]+#<#execve#SUCCESS' "$WORK/out" | head -1)
tr_line=$(grep -E '^tr#[0-9]+#[0-9]+#[0-9]+#<#execve#SUCCESS' "$WORK/out" | head -1)
[ -n "$cat_line" ] && ok "cat execve seen" || fail "cat execve missing"
[ -n "$tr_line" ] && ok "tr execve seen" || fail "tr execve missing"
expect_eq "$(echo "$cat_line" | cut -d'#' -f3)" "$shpid" "cat's parent is sh"
expect_eq "$(echo "$tr_line" | cut -d'#' -f3)" "$shpid" "tr's parent is sh"
expect_eq "$(echo "$cat_line" | cut -d'#' -f8-9)" "cat#$WORK/in.txt" "cat exe and args"
expect_eq "$(echo "$tr_line" | cut -d'#' -f8-9)" "tr#a-z A-Z" "tr exe and args"
# the redirect: sh's child opens result.txt for writing before exec'ing tr
expect_grep "$WORK/out" "^sh#[0-9]+#$shpid#[0-9]+#<#openat#SUCCESS#.*#$WORK/result.txt#fd=[0-9]+.*flags=[0-9]+\(O_TRUNC\|O_CREAT\|O_WRONLY\)" "redirect open in sh's child names result.txt"
# fork-family exits on both sides
expect_grep "$WORK/out" "^sh#$shpid#[0-9]+#$shpid#<#(clone|fork|vfork|clone3)#SUCCESS#.*#res=[1-9][0-9]*\\(sh\\) " "parent side of the fork (res = child pid)"
expect_grep "$WORK/out" "^sh#[0-9]+#$shpid#[0-9]+#<#(clone|fork|vfork|clone3)#SUCCESS#.*#res=0 " "child side of the fork (res = 0, ppid = sh)"
expect_grep "$WORK/out" "^cat#[0-9]+#$shpid#[0-9]+#>#procexit#" "cat's procexit"
expect_grep "$WORK/out" "^tr#[0-9]+#$shpid#[0-9]+#>#procexit#" "tr's procexit"
expect_no_grep "$WORK/out" "^<NA>#" "every event has a process name"
finish
