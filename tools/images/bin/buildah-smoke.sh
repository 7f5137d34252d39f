#!/usr/bin/env bash
# Manual check (not in CI: root, ~5 min, writes /var/lib/containers): builds docker/Dockerfile.registry
# with buildah (Debian's, vfs storage, chroot isolation) through docker/build-image.sh, runs the image
# with `buildah run` against a fresh schema of the dev PostgreSQL and runs the image's HEALTHCHECK
# command inside it. Docker Hub does not resolve from our machines, so the base image is a local
# stand-in for node:20-bookworm-slim: Debian bookworm minbase (debootstrap from Debian's mirror), this
# machine's node 20 and its CA bundle (TLS to the npm registry goes through a proxy here).
#   sudo tools/images/bin/buildah-smoke.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
work="${BUILDAH_SMOKE_DIR:-/var/tmp/metarec-buildah-smoke}"
b() { buildah --storage-driver vfs "$@"; }
command -v buildah >/dev/null || apt-get install -y buildah
command -v debootstrap >/dev/null || apt-get install -y debootstrap

# --- the stand-in base image
rootfs="$work/rootfs"
[ -x "$rootfs/bin/sh" ] || debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian
mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules" "$rootfs/etc/ssl/certs"
cp "$(command -v node)" "$rootfs/usr/local/bin/node"
rm -rf "$rootfs/usr/local/lib/node_modules/npm"
cp -a "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$rootfs/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
chroot "$rootfs" sh -c 'id node >/dev/null 2>&1 || { groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node; }'
base=localhost/node:20-bookworm-slim
b rmi -f "$base" >/dev/null 2>&1 || true
ctr=$(b from scratch)
b copy "$ctr" "$rootfs/" /
b config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt "$ctr"
b commit "$ctr" "$base" >/dev/null
b rm "$ctr" >/dev/null

# --- the image, as docker/build-image.sh builds it
tag=$(BUILDER=buildah BUILDER_FLAGS="--storage-driver vfs" BUILDAH_ISOLATION=chroot "$root/docker/build-image.sh" registry --build-arg NODE_IMAGE="$base" | tail -1)
echo "built $tag"
b inspect --format '{{.Docker.Config.User}} {{.Docker.Config.Healthcheck.Test}} {{.Docker.Config.Labels}}' "$tag"

# --- run it and its HEALTHCHECK command
db="${DATABASE_URL:-postgres://metarec:metarec@localhost:55432/metarec}"
schema="buildah_smoke_$(date +%s)"
psql_node() { (cd "$root" && node -e "const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1]});c.connect().then(()=>c.query(process.argv[2])).then(()=>c.end())" "$db" "$1"); }
psql_node "CREATE SCHEMA $schema"
ctr=$(b from "$tag")
port=18093
cleanup() {
  # The app's own process group (setsid below): buildah run does not pass a signal on to node.
  [ -n "${app:-}" ] && kill -- "-$app" 2>/dev/null || true
  b rm "$ctr" >/dev/null 2>&1 || true
  psql_node "DROP SCHEMA $schema CASCADE" || true
}
trap cleanup EXIT
setsid buildah --storage-driver vfs run --isolation chroot --user node --workingdir /app --env "DATABASE_URL=$db?options=-c%20search_path%3D$schema" \
  --env REGISTRY_PORT=$port --env REGISTRY_HOST=127.0.0.1 --env REGISTRY_ARTIFACT_DIR=/tmp/artifacts "$ctr" -- node main.js &
app=$!
check=$(b inspect --format '{{range .Docker.Config.Healthcheck.Test}}{{.}}{{"\n"}}{{end}}' "$tag" | tail -n +2)
mapfile -t argv <<<"$check"
for i in $(seq 1 60); do
  if b run --isolation chroot --user node --workingdir /app --env REGISTRY_PORT=$port "$ctr" -- "${argv[@]}"; then
    echo "HEALTHCHECK passed after ${i} tries; /readyz: $(curl -s "http://127.0.0.1:$port/readyz")"
    exit 0
  fi
  sleep 1
done
echo "HEALTHCHECK did not pass" >&2
exit 1
