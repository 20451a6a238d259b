#!/usr/bin/env bash
# Checks the deploy files without a container engine: Prometheus config and alert rules
# (promtool), the compose file (docker-compose config), and every YAML file (yamllint).
# Idempotent; installs what is missing from Debian's packages. The JUnit tests in
# dev.lockbroker.ops and dev.lockbroker.metrics check the rest (k8s manifests, dashboard JSON,
# the metric names used in PromQL).
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS="${LOCKBROKER_CI_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/lockbroker-ci}"
apt_updated=false

apt_update_once() {
  if [[ $apt_updated == false ]]; then
    apt-get update -qq
    apt_updated=true
  fi
}

need_root() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "check-deploy: $1 is missing and installing it needs root (apt-get)" >&2
    exit 1
  fi
}

ensure_apt() { # command package
  if ! command -v "$1" >/dev/null 2>&1; then
    need_root "$1"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
  fi
}

# promtool comes in Debian's prometheus package. Installing that package would also set up and
# start a Prometheus server, so the package is unpacked into a cache directory instead.
promtool_path() {
  if command -v promtool >/dev/null 2>&1; then
    command -v promtool
    return
  fi
  local bin="$TOOLS/prometheus/usr/bin/promtool"
  if [[ ! -x $bin ]]; then
    need_root promtool
    apt_update_once
    mkdir -p "$TOOLS/deb"
    (cd "$TOOLS/deb" && rm -f prometheus_*.deb && apt-get download -qq -o APT::Sandbox::User=root prometheus >/dev/null)
    dpkg-deb -x "$TOOLS"/deb/prometheus_*.deb "$TOOLS/prometheus"
  fi
  echo "$bin"
}

ensure_apt yamllint yamllint
ensure_apt docker-compose docker-compose
PROMTOOL=$(promtool_path)

echo "== promtool check config deploy/prometheus.yml (and its rule files)"
"$PROMTOOL" check config deploy/prometheus.yml
echo "== promtool check rules deploy/alerts.yml"
"$PROMTOOL" check rules deploy/alerts.yml
echo "== docker-compose config"
docker-compose -f docker-compose.yml config -q
echo "== dashboard JSON"
python3 -m json.tool deploy/grafana/dashboards/lockbroker.json >/dev/null
echo "== yamllint"
yamllint -c .yamllint -s docker-compose.yml .yamllint deploy/
echo "check-deploy: all deploy checks passed"
