#!/usr/bin/env bash
# Start-up of a short `lockbroker run` (bin/lockbroker run -n startup-bench -- true) beside `true` and a
# JVM hello-world with the client commands' JVM flags, in one hyperfine run, against a broker on
# loopback (port 0, a throwaway data directory, a copy of the jar). Prints each one's p50 and CPU, the
# ratio to hello-world, and the load average before and after (the machine is shared: compare ratios).
#   bench/startup.sh [RUNS]      # needs hyperfine (apt-get install hyperfine) and python3
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bin/jdk.sh"
runs=${1:-30}
flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"
tmp=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

"$root/bin/lockbroker" --version >/dev/null # builds the jar when the sources are newer
cp "$root/target/lockbroker.jar" "$tmp/broker.jar"
"$JAVA_HOME/bin/java" -jar "$tmp/broker.jar" server --host 127.0.0.1 --port 0 --data-dir "$tmp/data" \
  >"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
url=
for _ in $(seq 1 300); do
  url=$(sed -n 's/^lockbroker listening on \(http[^ ]*\).*/\1/p' "$tmp/server.out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "the broker did not start: $(cat "$tmp/server.err")" >&2; exit 1; }
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$tmp/Hello.java"
"$JAVA_HOME/bin/javac" -d "$tmp" "$tmp/Hello.java"
export LOCKBROKER_URL=$url
"$root/bin/lockbroker" run -n startup-bench -- true # makes the start-up cache if missing

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
hyperfine -N -w 3 -r "$runs" --export-json "$tmp/times.json" \
  true "$JAVA_HOME/bin/java $flags -cp $tmp Hello" "$root/bin/lockbroker run -n startup-bench -- true" >&2
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
python3 - "$tmp/times.json" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
hello = statistics.median(results[1]["times"])
for name, r in zip(["true", "JVM hello-world", "lockbroker run -- true"], results):
    p50 = statistics.median(r["times"])
    print(f"{name:24s} p50 {p50 * 1000:7.1f} ms  user {r['user'] * 1000:6.1f} ms  sys {r['system'] * 1000:5.1f} ms"
          f"  {p50 / hello:5.2f} x hello-world")
PY
