#!/usr/bin/env bash
# CI's container check: builds the image with podman FROM a Debian base made here (no registry is
# reachable: mmdebstrap from Debian's packages, this machine's Node 20 copied in), runs
# deploy/container-smoke.mjs against it, then starts the compose file's default service with
# podman-compose and waits for /ready; validates the compose file (docker-compose config, Debian's
# docker-compose 1.29, which needs no daemon); builds PostgreSQL, Redis and Caddy images from
# Debian's packages (deploy/images/) and runs the scaled profile with them: two Parley instances
# and the bot worker on PostgreSQL and Redis behind Caddy with TLS, smoke-tested through the proxy
# (deploy/scaled-smoke.mjs). Prints "container: N passed, N failed" last. PARLEY_CI_SCALED=0
# leaves the scaled run out.
#
# A machine whose kernel or sandbox cannot run containers at all prints "container: not run: <why>"
# and "container: 0 passed, 0 failed": that is the machine, not Parley. Once a container runs,
# every failure of the build, the smoke test or compose counts.
set -uo pipefail
cd "$(dirname "$0")/.."
say() { echo "[container] $*"; }
passed=0
failed=0
finish() { echo "container: $passed passed, $failed failed"; exit 0; }
not_run() { say "not run: $*"; finish; }
work=$(mktemp -d /tmp/parley-container.XXXXXX)
# Whatever happens, nothing this run started is left running (the machine is shared).
cleanup() {
  for p in "${project:-}" "${sproject:-}"; do
    [ -n "$p" ] || continue
    # With their anonymous volumes too (the worker's /data), which `down -v` leaves behind.
    podman ps -aq --filter "label=io.podman.compose.project=$p" | xargs -r podman rm -f -v >/dev/null 2>&1 || true
    podman-compose -p "$p" -f docker-compose.yml down -v >/dev/null 2>&1 || true
    podman network rm -f "${p}_default" >/dev/null 2>&1 || true
  done
  # Build stages and the images the new ones replaced (each run makes a new base, so none is a cache).
  podman image prune -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v podman >/dev/null || ! command -v mmdebstrap >/dev/null || ! command -v runc >/dev/null || ! command -v podman-compose >/dev/null || ! command -v docker-compose >/dev/null; then
  say "installing podman, runc, mmdebstrap, podman-compose, docker-compose (to validate the compose file)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc mmdebstrap podman-compose uidmap docker-compose >"$work/apt.log" 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc mmdebstrap podman-compose uidmap docker-compose >"$work/apt.log" 2>&1; } \
    || not_run "podman could not be installed ($(tail -1 "$work/apt.log"))"
fi

# Sandboxes like this one: no cgroup v2 delegation for crun (runc on cgroupfs works), and raising
# RLIMIT_NPROC is not permitted (so the limits are set, not raised). One containers.conf for
# podman, podman build and podman-compose alike.
nofile=$(ulimit -Hn)
cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF="$work/containers.conf"

say "base image: Debian bookworm (mmdebstrap) with this machine's Node $(node -v)"
node_bin=$(command -v node)
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
node_include=$(dirname "$node_bin")/../include/node
if ! mmdebstrap --variant=minbase --include=ca-certificates \
  --customize-hook="copy-in $node_bin /usr/bin" \
  --customize-hook='mkdir -p "$1/usr/lib/node_modules" "$1/usr/include"' \
  --customize-hook="copy-in $npm_dir /usr/lib/node_modules" \
  --customize-hook="copy-in $node_include /usr/include" \
  --customize-hook='chroot "$1" ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm' \
  --customize-hook='chroot "$1" ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx' \
  bookworm "$work/base.tar" http://deb.debian.org/debian >"$work/mmdebstrap.log" 2>&1; then
  tail -5 "$work/mmdebstrap.log"
  not_run "no Debian base image could be made (mmdebstrap failed)"
fi
podman import "$work/base.tar" localhost/parley-base >/dev/null || not_run "podman import failed"
rm -f "$work/base.tar"
probe=$(podman run --rm localhost/parley-base node -e 'console.log("ok")' 2>&1) || not_run "this machine cannot run containers: $probe"
[ "$probe" = ok ] || not_run "this machine cannot run containers: $probe"

# The build reaches the npm registry through this machine's TLS-inspecting proxy: its CA bundle is
# mounted for the build only (the Dockerfile's NODE_EXTRA_CA_CERTS), never copied into a layer.
ca=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
say "podman build (FROM localhost/parley-base)"
started=$(date +%s)
if podman build --format docker -v "$ca:/run/host-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/host-ca.crt \
  --build-arg BASE_IMAGE=localhost/parley-base --build-arg npm_config_nodedir=/usr -t parley:local . >"$work/build.log" 2>&1; then
  say "built parley:local in $(( $(date +%s) - started )) s, $(podman image inspect parley:local --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
  passed=$((passed + 1))
else
  grep -v EBADENGINE "$work/build.log" | tail -30
  say "FAIL: podman build"
  failed=$((failed + 1))
  finish
fi

say "smoke test of the image"
if ENGINE=podman node deploy/container-smoke.mjs parley:local; then passed=$((passed + 1)); else say "FAIL: smoke test"; failed=$((failed + 1)); fi

# The compose file's default service (Parley alone on SQLite), from the image just built.
say "podman-compose up (default service)"
export PARLEY_PORT=18181 PARLEY_OWNER_PASSWORD=compose-smoke-password-1
project="parley-ci-$$"
compose() { podman-compose -p "$project" -f docker-compose.yml "$@"; }
if compose up -d parley >"$work/compose.log" 2>&1; then
  ready=0
  for _ in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PARLEY_PORT/ready)" = 200 ] && { ready=1; break; }
    sleep 1
  done
  signin=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
    -d "{\"email\":\"owner@parley.local\",\"password\":\"$PARLEY_OWNER_PASSWORD\"}" http://127.0.0.1:$PARLEY_PORT/api/auth/sign-in)
  if [ "$ready" = 1 ] && [ "$signin" = 200 ]; then say "compose: /ready 200, the owner signs in"; passed=$((passed + 1))
  else compose logs parley 2>&1 | tail -20; say "FAIL: compose service (ready=$ready, sign-in $signin)"; failed=$((failed + 1)); fi
else
  tail -20 "$work/compose.log"; say "FAIL: podman-compose up"; failed=$((failed + 1))
fi
compose down -v >/dev/null 2>&1 || true

# The compose file, both profiles, as Compose reads it (variables the scaled profile needs set).
say "docker-compose config (default and scaled profiles)"
if POSTGRES_PASSWORD=validate PARLEY_SERVICE_TOKEN=validate-validate-validate-validate docker-compose -f docker-compose.yml config -q >"$work/config.log" 2>&1 \
  && POSTGRES_PASSWORD=validate PARLEY_SERVICE_TOKEN=validate-validate-validate-validate docker-compose -f docker-compose.yml --profile scaled config --services >"$work/services.txt" 2>>"$work/config.log" \
  && [ "$(sort "$work/services.txt" | tr '\n' ' ')" = "caddy parley parley-a parley-b postgres redis worker " ]; then
  say "compose file valid; scaled services: $(tr '\n' ' ' <"$work/services.txt")"
  passed=$((passed + 1))
else
  grep -v 'variable is not set' "$work/config.log" | tail -10; say "FAIL: docker-compose config"; failed=$((failed + 1))
fi

[ "${PARLEY_CI_SCALED:-1}" = 0 ] && finish

# The scaled profile from images of Debian's packages (the public ones are the default).
say "building PostgreSQL, Redis and Caddy images from Debian's packages (deploy/images/)"
for name in postgres redis caddy; do
  if ! podman build --format docker --build-arg BASE_IMAGE=localhost/parley-base -f "deploy/images/$name.Dockerfile" -t "localhost/parley-$name" deploy/images >"$work/build-$name.log" 2>&1; then
    tail -20 "$work/build-$name.log"; say "FAIL: podman build deploy/images/$name.Dockerfile"; failed=$((failed + 1)); finish
  fi
done
passed=$((passed + 1))

say "scaled profile: postgres, redis, parley-a, parley-b, worker, caddy"
export POSTGRES_IMAGE=localhost/parley-postgres REDIS_IMAGE=localhost/parley-redis CADDY_IMAGE=localhost/parley-caddy
export POSTGRES_PASSWORD="pg-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" PARLEY_SERVICE_TOKEN="svc-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export PARLEY_HTTP_PORT=18480 PARLEY_HTTPS_PORT=18443 PARLEY_OWNER_PASSWORD=scaled-smoke-password-1 METRICS_TOKEN=
sproject="parley-scaled-$$"
scompose() { podman-compose -p "$sproject" -f docker-compose.yml "$@"; }
cname() { echo "${sproject}_$1_1"; }
# podman-compose 1.0 neither reads profiles nor waits for depends_on conditions, and podman runs
# no healthchecks without systemd: the services are named, and started in order once each is up.
ready_inside() { podman exec "$(cname "$1")" node -e "fetch('http://127.0.0.1:8080/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))" >/dev/null 2>&1; }
wait_until() { # wait_until SECONDS WHAT COMMAND...
  local limit=$1 what=$2; shift 2
  for _ in $(seq 1 "$limit"); do "$@" && return 0; sleep 1; done
  say "timed out waiting for $what"; return 1
}
scaled_ok=0
if scompose up -d postgres redis >"$work/scaled.log" 2>&1 \
  && wait_until 90 "PostgreSQL" podman exec "$(cname postgres)" pg_isready -h 127.0.0.1 -U parley -d parley -q \
  && wait_until 60 "Redis" sh -c "podman exec $(cname redis) redis-cli ping 2>/dev/null | grep -q PONG" \
  && scompose up -d parley-a >>"$work/scaled.log" 2>&1 \
  && wait_until 180 "parley-a /ready" ready_inside parley-a \
  && scompose up -d parley-b worker caddy >>"$work/scaled.log" 2>&1 \
  && wait_until 180 "parley-b /ready" ready_inside parley-b \
  && wait_until 60 "Caddy's local CA" sh -c "podman exec $(cname caddy) cat /data/caddy/pki/authorities/local/root.crt >$work/caddy-root.crt 2>/dev/null && [ -s $work/caddy-root.crt ]"; then
  if NODE_EXTRA_CA_CERTS="$work/caddy-root.crt" ENGINE=podman PARLEY_A="$(cname parley-a)" PARLEY_B="$(cname parley-b)" PARLEY_OWNER_EMAIL=owner@parley.local \
    node deploy/scaled-smoke.mjs "https://localhost:$PARLEY_HTTPS_PORT"; then
    state=$(podman inspect --format '{{.State.Status}}' "$(cname worker)" 2>&1)
    if [ "$state" = running ]; then say "the bot worker is running"; scaled_ok=1; else say "the bot worker is $state"; fi
  fi
fi
if [ "$scaled_ok" = 1 ]; then passed=$((passed + 1))
else
  tail -15 "$work/scaled.log"
  for service in postgres redis parley-a parley-b worker caddy; do echo "--- $service"; podman logs --tail 15 "$(cname "$service")" 2>&1; done
  say "FAIL: scaled profile"; failed=$((failed + 1))
fi
finish
