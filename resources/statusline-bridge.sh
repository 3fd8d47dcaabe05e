#!/bin/sh
# Claude Code Tracer — status line bridge (installed only by "Install Status Line Bridge"; "Remove" restores what was
# there). Claude Code runs this with its statusLine JSON on stdin. It appends that JSON as one line to a bounded spool
# in the tracer's data dir (rotated to .1 past the size cap: at most twice the cap on disk), then runs the status line
# command the user had before with the same stdin, so its output is printed unchanged, byte for byte.
# usage: statusline-bridge.sh <spool dir> [<previous status line command>]
dir=$1
prev=$2
max=${CCT_STATUSLINE_SPOOL_MAX_BYTES:-262144}
umask 077
# the input, trailing newlines included (command substitution would strip them)
input=$(cat; printf x)
input=${input%x}
nl='
'
if [ -n "$dir" ] && { [ -d "$dir" ] || mkdir -p "$dir" 2>/dev/null; }; then
  spool="$dir/statusline.jsonl"
  # one JSON value per line: raw newlines in JSON are only formatting (inside strings they are escaped). Claude Code
  # sends one line: then no process is started for this (the bridge must stay fast).
  line=${input%"$nl"}
  case $line in
  *"$nl"*) printf '%s' "$line" | tr -d '\n' >>"$spool" 2>/dev/null; printf '\n' >>"$spool" 2>/dev/null ;;
  *) printf '%s\n' "$line" >>"$spool" 2>/dev/null ;;
  esac
  size=$(wc -c <"$spool" 2>/dev/null || echo 0)
  if [ "$size" -gt "$max" ] 2>/dev/null; then mv -f "$spool" "$spool.1" 2>/dev/null; fi
fi
if [ -n "$prev" ]; then
  printf '%s' "$input" | sh -c "$prev"
  exit $?
fi
exit 0
