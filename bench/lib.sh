# Shared by the bench scripts (source it from the repository root).

# Starts the Release host on 127.0.0.1:$2, configured only by $1/bench.json, and waits until it is ready; sets HOST_PID.
# Development, because only Development runs over plain HTTP with generated keys; the throwaway content root keeps
# appsettings.Development.json (and its developer seed) out.
start_host() {
  local work=$1 port=$2
  ASPNETCORE_ENVIRONMENT=Development IdentityHub__SettingsFile="$work/bench.json" Logging__LogLevel__Default=Warning \
    dotnet src/IdentityHub.Web/bin/Release/net10.0/IdentityHub.Web.dll --contentRoot "$work" --urls "http://127.0.0.1:$port" >"$work/host.log" 2>&1 &
  HOST_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    sleep 0.5
  done
  echo "the host did not start; see $work/host.log" >&2
  return 1
}
