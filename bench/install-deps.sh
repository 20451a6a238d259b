#!/usr/bin/env bash
# Installs the benchmark's Debian packages when missing (idempotent): etcd-server, zookeeper (the
# server itself; zookeeperd would only add init scripts that run a system service on :2181), and
# gnuplot-nox. No service is started: bench/run starts the servers as plain processes.
set -euo pipefail
if command -v etcd >/dev/null && [ -f /usr/share/java/zookeeper.jar ] && command -v gnuplot >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-deps: need root and apt-get to install etcd-server zookeeper gnuplot-nox" >&2
  exit 1
fi
# Keep package scripts from starting etcd or ZooKeeper as services on fixed ports.
made_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
fi
trap '[ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server zookeeper gnuplot-nox >/dev/null
