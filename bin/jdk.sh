# Sourced by the scripts in bin/: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME, the java on PATH, then the usual install places. Fails with a clear message.
# Sets java_major_result to the major version of the JDK in $1. The JDK's release file answers without
# starting a JVM (which costs ~100 ms per candidate), and without a process or subshell at all:
# bin/lockbroker runs this on every command.
read_java_major() {
  java_major_result=
  if [ -f "$1/release" ]; then
    local line
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        JAVA_VERSION=\"*) line=${line#JAVA_VERSION=\"}; java_major_result=${line%%[!0-9]*}; return 0 ;;
      esac
    done <"$1/release"
  else
    java_major_result=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1)
  fi
}

# Prints the major version of the JDK in $1.
java_major() {
  read_java_major "$1"
  echo "$java_major_result"
}

pick_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    local java
    java=$(readlink -f "$(command -v java)")
    candidates+=("${java%/*/*}") # .../bin/java -> the JDK's directory
  fi
  for dir in /usr/lib/jvm/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  local dir major
  for dir in "${candidates[@]}"; do
    [ -x "$dir/bin/java" ] && [ -x "$dir/bin/javac" ] || continue
    read_java_major "$dir"
    major=$java_major_result
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$dir"
      return 0
    fi
  done
  echo "lockbroker needs a JDK 21 or newer (found none; set JAVA_HOME)." >&2
  return 1
}

pick_jdk
