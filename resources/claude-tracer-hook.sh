#!/bin/sh
# Claude Code Tracer — hook (installed only by "Install Claude Code Hooks"; "Remove" takes it out again). Claude Code
# runs it with the hook's JSON on stdin. It appends ONE short line to a bounded spool in the tracer's data dir (rotated
# to .1 past the size cap: at most twice the cap on disk): the event, the claude pid, the session id and, for a few
# events, one word from a fixed list. Never the prompt, the messages or any other text of the payload. It prints
# nothing (SessionStart/UserPromptSubmit output would reach the model) and always exits 0 (never fails Claude Code).
# usage: claude-tracer-hook.sh <spool dir> <event>
dir=$1
event=$2
max=${CCT_HOOK_SPOOL_MAX_BYTES:-262144}
umask 077
input=$(cat 2>/dev/null)
case $event in *[!A-Za-z]* | '') exit 0 ;; esac
pid=${CLAUDE_PID:-0}
case $pid in *[!0-9]* | '') pid=0 ;; esac
sid=${CLAUDE_CODE_SESSION_ID:-}
if [ -z "$sid" ]; then
  rest=${input#*\"session_id\":\"}
  [ "$rest" != "$input" ] && sid=${rest%%\"*}
fi
case $sid in *[!0-9A-Za-z_-]* | '') exit 0 ;; esac
# one word from the payload, matched against known values only
detail=
case $event in
Notification) for w in permission_prompt idle_prompt elicitation_dialog auth_success; do
  case $input in *"\"notification_type\":\"$w\""*) detail=$w; break ;; esac
done ;;
SessionStart) for w in startup resume clear compact fork; do
  case $input in *"\"source\":\"$w\""*) detail=$w; break ;; esac
done ;;
SessionEnd) for w in clear resume logout prompt_input_exit other; do
  case $input in *"\"reason\":\"$w\""*) detail=$w; break ;; esac
done ;;
esac
# when it happened (whole seconds: a late-running async hook must not override a newer registry state)
t=$(date +%s 2>/dev/null)
case $t in *[!0-9]* | '') t=0 ;; esac
cwd=${CLAUDE_PROJECT_DIR:-}
nl='
'
case $cwd in *[\"\\]* | *"$nl"*) cwd= ;; esac
[ -n "$dir" ] && { [ -d "$dir" ] || mkdir -p "$dir" 2>/dev/null; } || exit 0
spool="$dir/hooks.jsonl"
printf '{"v":1,"event":"%s","t":%s,"pid":%s,"session":"%s","detail":"%s","cwd":"%s"}\n' \
  "$event" "$t" "$pid" "$sid" "$detail" "$cwd" >>"$spool" 2>/dev/null
size=$(wc -c <"$spool" 2>/dev/null || echo 0)
if [ "$size" -gt "$max" ] 2>/dev/null; then mv -f "$spool" "$spool.1" 2>/dev/null; fi
exit 0
