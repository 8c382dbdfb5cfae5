#!/usr/bin/env bash
# The whole test suite, on a machine that has only the .NET SDK: installs what the tests need, then runs them.
set -euo pipefail
cd "$(dirname "$0")"

# System packages the suite needs (none beyond the SDK yet); installed only when missing.
need=()
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

dotnet restore IdentityHub.sln
dotnet build IdentityHub.sln -c Release --no-restore
dotnet test IdentityHub.sln -c Release --no-build "$@"
