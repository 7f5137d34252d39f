#!/usr/bin/env bash
# Makes the `tensorflow` tfjs backend (@tensorflow/tfjs-node) usable in this repository without its
# install script.
#
# Why: tfjs-node's own install script downloads libtensorflow and a prebuilt addon from a host
# that our machines and CI cannot reach (only package registries are), so `allowScripts` in the
# root package.json denies that script and tensorflow-native.sh's registry route does its job:
#   1. the JS part: @tensorflow/tfjs-node is an optionalDependency of libs/meta-learning, so
#      `npm ci` installs it (script not run); installed here only when it is missing;
#   2. TensorFlow's C library: the `tensorflow-cpu` wheel from PyPI (downloaded, unzipped, never
#      pip-installed): libtensorflow_cc.so.2 exports the TFE_* eager API, libtensorflow_framework.so.2
#      the TF_* base, and the 14 C-API headers the addon includes; the libraries are stripped;
#   3. the addon, built from source with node-gyp against the local node headers (--nodedir).
# Downloads, extracted libraries and built addons live in a cache outside the repository
# (METAREC_TF_CACHE, default ~/.cache/metarec/tensorflow/<version>); node_modules only gets
# symlinks to the libraries and a copy of the addon, so a later `npm ci` costs one copy, not a build.
# Idempotent: a second run verifies that the addon loads and returns (< 2 s).
# The images' `tensorflow` stage runs the same tensorflow-native.sh (docker/README.md).
# Usage: npm run setup:tensorflow   (env: METAREC_TF_CACHE, METAREC_TF_JOBS=2)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '[setup:tensorflow] %s\n' "$*"; }
die() { printf '[setup:tensorflow] ERROR: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || die "node is not on PATH"

# Where meta-learning resolves tfjs-node from (the package its selectBackend imports).
pkg_dir() {
  (cd "$ROOT/libs/meta-learning" && node -e "
    const p = require('node:path');
    try { console.log(p.dirname(require.resolve('@tensorflow/tfjs-node/package.json'))); } catch { process.exit(3); }" 2>/dev/null) || true
}

# 1. The JS part (normally already there from `npm ci`).
PKG="$(pkg_dir)"
if [[ -z "$PKG" ]]; then
  log "installing @tensorflow/tfjs-node (JS only, --ignore-scripts) from the lockfile"
  (cd "$ROOT" && npm install --ignore-scripts --include=optional --no-audit --no-fund >/dev/null)
  PKG="$(pkg_dir)"
  [[ -n "$PKG" ]] || die "@tensorflow/tfjs-node is still not resolvable from libs/meta-learning after npm install"
fi

# 2.-3. Library and addon: the registry route, libraries symlinked from the cache.
TENSORFLOW_NATIVE_LOG_PREFIX=setup:tensorflow exec bash "$ROOT/tools/scripts/tensorflow-native.sh" --source registry --libs link "$PKG"
