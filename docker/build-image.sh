#!/usr/bin/env bash
# Builds one image from the repository root with its version build args and tag:
#   docker/build-image.sh <ingest|registry|serving|serving-gpu|trainer> [extra build args...]
# VERSION is the app's package.json version, GIT_COMMIT the commit (12 hex digits, `-dirty` with
# uncommitted changes); the tag is metarec/<image>:<VERSION>-<GIT_COMMIT>, never :latest.
# BUILDER=docker (default), podman or buildah (`buildah bud`); BUILDER_FLAGS are the builder's global
# flags (e.g. BUILDER_FLAGS="--storage-driver vfs" BUILDAH_ISOLATION=chroot where overlay mounts and
# user namespaces are unavailable); REGISTRY=<host/org> prefixes the name.
set -euo pipefail

image="${1:?usage: docker/build-image.sh <ingest|registry|serving|serving-gpu|trainer> [build args...]}"
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "$image" in
  ingest | registry | serving | trainer) app="$image" ;;
  serving-gpu) app=serving ;;
  *) echo "unknown image: $image" >&2; exit 2 ;;
esac
version="$(node -p "require('$root/apps/$app/package.json').version")"
commit="$(git -C "$root" rev-parse --short=12 HEAD)"
if [ -n "$(git -C "$root" status --porcelain)" ]; then
  commit="$commit-dirty"
fi
tag="${REGISTRY:-metarec}/$image:$version-$commit"
builder="${BUILDER:-docker}"
# podman and buildah write OCI images by default, which have no HEALTHCHECK: ask for Docker's format.
case "$builder" in
  docker) build=(docker ${BUILDER_FLAGS:-} build) ;;
  podman) build=(podman ${BUILDER_FLAGS:-} build --format docker) ;;
  buildah) build=(buildah ${BUILDER_FLAGS:-} bud --format docker) ;;
  *) echo "BUILDER must be docker, podman or buildah, not $builder" >&2; exit 2 ;;
esac
"${build[@]}" -f "$root/docker/Dockerfile.$image" \
  --build-arg "VERSION=$version" --build-arg "GIT_COMMIT=$commit" \
  -t "$tag" "$@" "$root"
echo "$tag"
