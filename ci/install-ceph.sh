#!/usr/bin/env bash
# Installs Debian's Ceph daemons (radosgw, ceph-mon, ceph-osd) that the Ceph RGW test fixture
# runs, unless they are there already. Idempotent: a machine that has them pays one `command -v`.
# Packages only: the fixture starts and stops its own daemons (bound to 127.0.0.1) per test JVM;
# nothing installed here is configured or started as a service.
# Exit 0 also when the install is impossible (not root, no apt); the fixture then skips the
# Ceph suites and names why. Set LOCKBROKER_SKIP_CEPH=1 to skip the install on purpose.
set -euo pipefail

if [[ ${LOCKBROKER_SKIP_CEPH:-} == 1 ]]; then
  echo "install-ceph: skipped (LOCKBROKER_SKIP_CEPH=1)"
  exit 0
fi
if command -v radosgw >/dev/null && command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null \
  && command -v radosgw-admin >/dev/null && command -v ceph-authtool >/dev/null; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "install-ceph: Ceph is missing and cannot be installed here (needs root and apt-get);" \
    "the Ceph RGW suites will skip" >&2
  exit 0
fi
echo "install-ceph: installing radosgw ceph-mon ceph-osd from Debian"
start=$SECONDS
# Debian's maintainer scripts would start the daemons as services; the fixture runs its own.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  created_policy=true
fi
trap '[[ $created_policy == true ]] && rm -f "$policy"' EXIT
if ! { apt-get update -qq &&
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    radosgw ceph-mon ceph-osd ceph-common >/dev/null; }; then
  echo "install-ceph: apt-get could not install Ceph; the Ceph RGW suites will skip" >&2
  exit 0
fi
echo "install-ceph: installed in $((SECONDS - start)) s"
