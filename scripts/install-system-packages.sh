#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those missing.
set -euo pipefail

needed=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || needed+=("$package")
done

if [ ${#needed[@]} -eq 0 ]; then
  echo "System packages: all present."
  exit 0
fi

echo "Installing system packages: ${needed[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${needed[@]}"
