#!/usr/bin/env bash
# Installs the Debian packages Parley's tests start for real (browsers, TURN relay, Redis, nginx, network
# namespaces, CJK and emoji fonts for screenshots, systemd-analyze), if any is missing. As root it runs apt-get; as
# anyone else it prints the exact command to run and stops, so a test never fails later for want of one.
set -euo pipefail

packages=(chromium firefox-esr coturn redis-server nginx iproute2 iptables fonts-noto-cjk fonts-noto-color-emoji fonts-dejavu-core systemd)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "parley tests: missing ${missing[*]}, and this is not a Debian-like system (no apt-get); install them by hand." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "parley tests: missing ${missing[*]}. Run as root, then the test command again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "parley tests: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
