# The watchdog of `lockbroker run` (bash 3.2 or newer: macOS's /bin/bash will do).
#   bash watchdog.sh FIFO TERM_IN GRACE MODE CMD [ARG...]
# Runs CMD and stops it when the lease it runs under may no longer be held, whatever happens to the
# JVM that holds the lease. A monitor reads lines that the JVM writes into FIFO:
#   term-in S     the lease was confirmed: stop CMD S seconds from now unless renewed before
#   stop          the lease is lost: stop CMD now
#   signal NAME   pass signal NAME on to CMD
#   exit          CMD has exited and the lease is released: stop watching
# End of file on FIFO means the JVM is gone (SIGKILL, crash): CMD is stopped at once. A JVM frozen by
# SIGSTOP or cut off writes nothing, so the last TERM_IN runs out. Stopping is SIGTERM, then SIGKILL
# GRACE seconds later. TERM_IN is armed before anything else, so CMD never runs unwatched.
# MODE auto: tree when a terminal controls this process, group otherwise (cron, CI, launchd).
# MODE group: CMD runs in a process group of its own, with the monitor in it, so the whole group is
#   stopped, and a SIGKILL of the wrapper's own group leaves the monitor alive to do it.
# MODE tree: (a terminal is attached, where a background group could not read it) CMD replaces this
#   shell in the wrapper's group and the monitor stops CMD and its descendants as ps shows them.
# Exits with CMD's status (128 + N when signal N ended it). The watchdog leaves a file "stopped" beside
# FIFO when it stopped CMD, for the JVM to read after a freeze; when the JVM is gone it leaves nothing.
script=$0 fifo=$1 term_in=$2 grace=$3 mode=$4 dir=$(dirname "$1")
shift 4
# The shells' own notices ("Terminated", "Killed") would mix with CMD's output: CMD alone gets stderr.
exec 9>&2 2>/dev/null
if [ "$mode" = auto ]; then
  if { : </dev/tty; } 2>/dev/null; then mode=tree; else mode=group; fi
fi

descendants() { # $1 and every process below it, from ps, leaving out $2 and every process below it
  ps -A -o pid= -o ppid= 2>/dev/null | awk -v root="$1" -v skip="$2" '
    { kids[$2] = kids[$2] " " $1 }
    END { queue = root
          while (queue != "") { n = split(queue, q, " "); queue = ""
            for (i = 1; i <= n; i++) { if (q[i] == skip) continue; print q[i]; queue = queue kids[q[i]] } } }'
}

send() { # $1: signal name
  if [ "$mode" = group ]; then
    kill -"$1" 0 2>/dev/null
  else
    # Not the monitor nor its timers: they must outlive the TERM to send the KILL.
    kill -"$1" $(descendants "$command_pid" "$monitor_pid") 2>/dev/null
  fi
}

stop_command() {
  if [ -n "$orphaned" ]; then rmdir "$dir"; else : >"$dir/stopped"; fi
  send TERM
  sleep "$grace"
  send KILL
}

monitor() {
  trap '' TERM INT HUP
  [ "$mode" = tree ] && monitor_pid=$(exec sh -c 'echo $PPID')
  timer= orphaned=
  arm() {
    [ -n "$timer" ] && kill -KILL "$timer" 2>/dev/null
    (sleep "$1" && stop_command) &
    timer=$!
  }
  arm "$term_in"
  exec 3<"$fifo"
  # Both ends are open now: the names are no longer needed, whatever happens next.
  rm -f "$fifo" "$script"
  while read -r verb arg <&3; do
    case $verb in
      term-in) arm "$arg" ;;
      stop) arm 0 ;;
      exit) kill -KILL "$timer"; exit 0 ;;
      signal) if [ "$mode" = group ]; then kill -"$arg" 0; else kill -"$arg" "$command_pid"; fi 2>/dev/null ;;
    esac
  done
  orphaned=1
  arm 0
  wait "$timer"
}

if [ "$mode" = tree ]; then
  command_pid=$$
  monitor </dev/null 9>&- &
  exec "$@" 2>&9 9>&-
fi

# Caught, not ignored: CMD starts with the default handlers, and these shells wait for it.
trap : INT TERM HUP
set -m
(
  trap : INT TERM HUP
  set +m
  monitor </dev/null 9>&- &
  "$@" 2>&9 9>&-
  status=$?
  exit "$status"
) &
group=$!
set +m
while :; do
  wait "$group"
  status=$?
  kill -0 "$group" 2>/dev/null || break
done
# Nothing of CMD's group outlives the lease: background children it left behind are stopped too.
kill -KILL -- "-$group" 2>/dev/null
exit "$status"
