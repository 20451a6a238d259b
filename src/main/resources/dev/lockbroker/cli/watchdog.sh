# The watchdog of `lockbroker run` (bash 3.2 or newer: macOS's /bin/bash will do).
#   bash watchdog.sh FIFO TERM_IN GRACE MODE CMD [ARG...]
# Runs CMD and stops it when the lease it runs under may no longer be held, whatever happens to the
# JVM that holds the lease. A monitor reads lines that the JVM writes into FIFO:
#   term-in S     the lease was confirmed: stop CMD S seconds from now unless renewed before
#   stop          the lease is lost: stop CMD now
#   signal NAME   pass signal NAME on to CMD
#   exit          CMD has exited: stop watching
# End of file on FIFO means the JVM is gone (SIGKILL, crash): CMD is stopped at once. A JVM frozen by
# SIGSTOP or cut off writes nothing, so the last TERM_IN runs out. TERM_IN is armed before anything
# else, so CMD never runs unwatched. Once a stop has begun nothing cancels it.
# Stopping: every process of CMD (below it, and in its process group) is frozen with SIGSTOP until no
# new one appears, so none can slip away by its parent's death; then SIGTERM and SIGCONT; GRACE
# seconds later SIGKILL to all of them and to whatever has appeared since.
# MODE auto: tree when a terminal controls this process, group otherwise (cron, CI, launchd).
# MODE group: CMD runs in a process group of its own, with the monitor in it, so a SIGKILL of the
#   wrapper's own group leaves the monitor alive; what CMD leaves in its group when it exits is killed.
# MODE tree: CMD replaces this shell in the wrapper's group (so it can read the terminal); the monitor
#   runs in a group of its own (so Ctrl-Z does not freeze it) and stops CMD's process tree.
# Exits with CMD's status (128 + N when signal N ended it). When the watchdog stopped CMD it leaves a
# file "stopped" beside FIFO for the JVM to read; when the JVM is gone it leaves nothing.
script=$0 fifo=$1 term_in=$2 grace=$3 mode=$4
case $fifo in */*) dir=${fifo%/*} ;; *) dir=. ;; esac # dirname without a process: CMD waits for this line
shift 4
# The shells' own notices ("Terminated", "Killed") would mix with CMD's output: CMD alone gets stderr.
exec 9>&2 2>/dev/null
complain() { echo "lockbroker watchdog: $*" >&9; }
if ! command -v ps >/dev/null || ! command -v awk >/dev/null; then
  [ "$mode" = group ] || complain "no ps or awk: CMD runs in a group of its own, and only that group is stopped"
  mode=group sweeps=
else
  sweeps=1
fi
case $mode in
  auto) if { : </dev/tty; } 2>/dev/null; then mode=tree; else mode=group; fi ;;
  group | tree) ;;
  *) complain "unknown mode '$mode'"; exit 70 ;;
esac

# The processes to stop: $root and all below it, and (group mode) all of $group; never the monitor
# nor anything below it (its timers, its own ps and awk).
targets() {
  ps -A -o pid= -o ppid= -o pgid= | awk -v root="$root" -v group="$group" -v skip="$monitor_pid" '
    { parent[$1] = $2; kids[$2] = kids[$2] " " $1; if (group != "" && $3 == group) take[$1] = 1 }
    END {
      queue = root; take[root] = 1
      while (queue != "") { n = split(queue, q, " "); queue = ""
        for (i = 1; i <= n; i++) { m = split(kids[q[i]], k, " "); for (j = 1; j <= m; j++) { take[k[j]] = 1; queue = queue " " k[j] } } }
      for (p in take) { a = p; for (d = 0; d < 100 && a != "" && a > 1 && a != skip; d++) a = parent[a]; if (a != skip) print p }
    }'
}

# Freezes the targets until no new one appears (a frozen parent cannot die and orphan its children).
freeze() {
  frozen=" "
  for round in 1 2 3 4 5 6 7 8; do
    fresh=
    for p in $(targets); do case $frozen in *" $p "*) ;; *) fresh="$fresh $p" ;; esac; done
    [ -z "$fresh" ] && break
    kill -STOP $fresh
    frozen="$frozen$fresh "
  done
}

stop_command() {
  if [ -n "$orphaned" ]; then rm -rf "$dir"; else : >"$dir/stopped"; fi
  if [ -n "$sweeps" ]; then
    freeze
    kill -TERM $frozen
    kill -CONT $frozen
    sleep "$grace"
    kill -KILL $frozen $(targets)
  else
    # No ps: the whole group, with this timer in it.
    kill -TERM 0
    sleep "$grace"
    kill -KILL 0
  fi
  # Last: the group, with the monitor and this timer in it (group mode), or the monitor.
  if [ -n "$group" ]; then kill -KILL -- "-$group"; else kill -KILL "$monitor_pid"; fi
}

monitor() {
  trap '' TERM INT HUP
  monitor_pid=${BASHPID:-$(exec sh -c 'echo $PPID')} # bash 3.2 (macOS) has no BASHPID
  if [ "$mode" = group ] && [ -n "$sweeps" ]; then
    root=$(ps -o ppid= -p "$monitor_pid" | tr -d ' ')
    group=$(ps -o pgid= -p "$monitor_pid" | tr -d ' ')
    # Without job control the job would share the wrapper's group, and the caller's shell with it.
    [ "$group" = "$(ps -o pgid= -p "$wrapper_pid" | tr -d ' ')" ] && group=
  fi
  timer= orphaned=
  # A countdown to stop_command; USR1 cancels it (and its sleep, which would hold a pipe open).
  arm() {
    disarm
    (trap 'kill -KILL $s; exit 0' USR1; sleep "$1" & s=$!; wait $s; stop_command) &
    timer=$!
  }
  disarm() { [ -n "$timer" ] && kill -USR1 "$timer"; timer=; }
  arm "$term_in"
  # Read-write first, so that opening for reading does not block if the JVM died before opening it.
  exec 4<>"$fifo" 3<"$fifo" 4<&-
  rm -f "$fifo" "$script"
  while read -r verb arg <&3; do
    [ -e "$dir/stopped" ] && continue
    case $verb in
      term-in) arm "$arg" ;;
      stop) arm 0 ;;
      exit) disarm; exit 0 ;;
      signal)
        if [ -z "$sweeps" ]; then kill -"$arg" 0
        elif [ -n "$group" ]; then kill -"$arg" -- "-$group"
        elif [ "$mode" = group ] || [ "$arg" != INT ]; then kill -"$arg" "$root"
        fi ;; # tree mode: the terminal already sent SIGINT to CMD
    esac
  done
  if [ ! -e "$dir/stopped" ]; then orphaned=1; arm 0; fi
  wait "$timer"
}

wrapper_pid=$$ group=
if [ "$mode" = tree ]; then
  root=$$
  set -m
  monitor </dev/null >/dev/null 9>&- &
  set +m
  exec "$@" 2>&9 9>&-
fi

# Caught, not ignored: CMD starts with the default handlers, and these shells wait for it.
trap : INT TERM HUP
set -m
(
  trap : INT TERM HUP
  set +m
  monitor </dev/null >/dev/null 9>&- &
  "$@" 2>&9 9>&-
  status=$?
  exit "$status"
) &
job=$!
set +m
while :; do
  wait "$job"
  status=$?
  kill -0 "$job" || break
done
# A signal may have interrupted the last wait just as the job ended: its status is then kept for this one.
wait "$job"
late=$?
[ "$late" -ne 127 ] && status=$late
# Nothing of CMD's group outlives the lease: background children it left behind are stopped too.
kill -KILL -- "-$job"
exit "$status"
