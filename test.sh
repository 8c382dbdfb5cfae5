#!/usr/bin/env bash
# The whole test suite, on a machine that has only the .NET SDK: installs what the tests need, then runs them.
set -euo pipefail
cd "$(dirname "$0")"

# System packages the suite needs, installed only when missing:
#   python3-aiosmtpd - the real SMTP server the mail tests deliver to (/usr/bin/python3 -m aiosmtpd)
#   chromium         - the browser the page tests drive with Playwright (never a browser Playwright downloads)
need=()
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
[ -x /usr/bin/chromium ] || need+=(chromium)
#   nodejs, npm      - npm ci for the SPA sample's oidc-client-ts (samples/Spa), driven by the samples' browser test
command -v npm >/dev/null || need+=(nodejs npm)
#   postgresql       - initdb and pg_ctl (/usr/lib/postgresql/<version>/bin): the PostgreSQL server the tests start
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
#   redis-server     - the real Redis the cluster tests share rate-limit counters through (started per fixture, by PID)
[ -x /usr/bin/redis-server ] || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

(cd samples/Spa && npm ci --no-audit --no-fund)
dotnet restore IdentityHub.sln
dotnet build IdentityHub.sln -c Release --no-restore
status=0
dotnet test IdentityHub.sln -c Release --no-build "$@" || status=$?
# The web suite again on PostgreSQL (one server started by the tests, a database per host), without the tests about
# SQLite itself and without PostgreSqlTests, which the run above already ran against that server.
IDENTITYHUB_TEST_PROVIDER=PostgreSQL dotnet test tests/IdentityHub.Web.Tests -c Release --no-build \
  --filter 'Database!=Sqlite&Database!=PostgreSQL' "$@" || status=$?
exit $status
