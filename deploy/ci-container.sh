#!/usr/bin/env bash
# CI's container check: builds the image with podman FROM a Debian base made here (no registry is
# reachable: mmdebstrap from Debian's packages, this machine's Node 20 copied in), runs
# deploy/container-smoke.mjs against it, then starts the compose file's default service with
# podman-compose and waits for /ready. Prints "container: N passed, N failed" last.
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
trap 'rm -rf "$work"' EXIT

if ! command -v podman >/dev/null || ! command -v mmdebstrap >/dev/null || ! command -v runc >/dev/null || ! command -v podman-compose >/dev/null; then
  say "installing podman, runc, mmdebstrap, podman-compose"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc mmdebstrap podman-compose uidmap >"$work/apt.log" 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc mmdebstrap podman-compose uidmap >"$work/apt.log" 2>&1; } \
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
finish
