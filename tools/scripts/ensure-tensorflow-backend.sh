#!/usr/bin/env bash
# Makes the `tensorflow` tfjs backend (@tensorflow/tfjs-node) usable without its install script.
#
# Why: tfjs-node's own install script downloads libtensorflow and a prebuilt addon from a host
# that our machines and CI cannot reach (only package registries are), so `allowScripts` in the
# root package.json denies that script and this script does its job from the registries instead:
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
# Usage: npm run setup:tensorflow   (env: METAREC_TF_CACHE, METAREC_TF_JOBS=2)
set -euo pipefail

TF_VERSION=2.21.0
TFJS_NODE_VERSION=4.22.0
# The wheel's libraries do not link libpython: any CPython wheel of this version has the same
# ones, so pinning the tag makes the download independent of the local Python.
WHEEL_PYTHON=3.11
WHEEL_PLATFORM=manylinux_2_27_x86_64
# Exactly the headers tfjs_binding includes, with their include closure (checked with g++ -M).
HEADERS=(
  tensorflow/c/c_api.h tensorflow/c/c_api_macros.h tensorflow/c/eager/c_api.h tensorflow/c/tf_attrtype.h
  tensorflow/c/tf_buffer.h tensorflow/c/tf_datatype.h tensorflow/c/tf_status.h tensorflow/c/tf_tensor.h
  tensorflow/c/tf_tstring.h tensorflow/core/platform/ctstring.h tensorflow/core/platform/ctstring_internal.h
  tsl/platform/ctstring.h tsl/platform/ctstring_internal.h xla/tsl/c/tsl_status.h
)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${METAREC_TF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/metarec/tensorflow/$TF_VERSION}"
JOBS="${METAREC_TF_JOBS:-2}"
START_NS=$(date +%s%N)
DOWNLOADED_BYTES=0

log() { printf '[setup:tensorflow] %s\n' "$*"; }
die() { printf '[setup:tensorflow] ERROR: %s\n' "$*" >&2; exit 1; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
du_bytes() { du -sbL "$@" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }

[[ "$(uname -s)/$(uname -m)" == "Linux/x86_64" ]] || die "only Linux x86_64 is supported (the tensorflow-cpu wheel's libraries), not $(uname -s)/$(uname -m)"
command -v node >/dev/null || die "node is not on PATH"

pkg_dir() {
  # TF_CPP_MIN_LOG_LEVEL=2 keeps TensorFlow's start-up notes (oneDNN, CPU features) out of the output.
  (cd "$ROOT/libs/meta-learning" && TF_CPP_MIN_LOG_LEVEL=2 node -e "
    const p = require('node:path');
    try { console.log(p.dirname(require.resolve('@tensorflow/tfjs-node/package.json'))); } catch { process.exit(3); }" 2>/dev/null) || true
}

# 1. The JS part (normally already there from `npm ci`).
PKG="$(pkg_dir)"
if [[ -z "$PKG" ]]; then
  log "installing @tensorflow/tfjs-node@$TFJS_NODE_VERSION (JS only, --ignore-scripts) from the lockfile"
  (cd "$ROOT" && npm install --ignore-scripts --include=optional --no-audit --no-fund >/dev/null)
  PKG="$(pkg_dir)"
  [[ -n "$PKG" ]] || die "@tensorflow/tfjs-node is still not resolvable from libs/meta-learning after npm install"
fi
HAVE_VERSION="$(node -p "require('$PKG/package.json').version")"
[[ "$HAVE_VERSION" == "$TFJS_NODE_VERSION" ]] || die "@tensorflow/tfjs-node is $HAVE_VERSION, this script builds $TFJS_NODE_VERSION (update both together)"

NODE_ABI="$(node -p 'process.versions.modules')"
NAPI="$(node -p "Math.max(...require('$PKG/package.json').binary.napi_versions.filter((v) => v <= Number(process.versions.napi)))")"
ADDON_REL="lib/napi-v$NAPI/tfjs_binding.node"
ADDON_CACHE="$CACHE/addon/tfjs-node-$TFJS_NODE_VERSION-node-abi$NODE_ABI-napi$NAPI/tfjs_binding.node"
LIB_DIR="$CACHE/lib"
INC_DIR="$CACHE/include"

# Loads tfjs-node and runs one op on the `tensorflow` backend; prints the TF version it reports.
verify() {
  # TF_CPP_MIN_LOG_LEVEL=2 keeps TensorFlow's start-up notes (oneDNN, CPU features) out of the output.
  (cd "$ROOT/libs/meta-learning" && TF_CPP_MIN_LOG_LEVEL=2 node -e "
    const tf = require('@tensorflow/tfjs-node');
    const s = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync();
    if (tf.getBackend() !== 'tensorflow' || s[0] !== 4 || s[1] !== 6) { console.error('backend', tf.getBackend(), Array.from(s)); process.exit(1); }
    console.log(tf.version['tfjs-node'] + ' on TensorFlow ' + tf.backend().binding.TF_Version);" 2>&1)
}

link_deps() {
  mkdir -p "$PKG/deps/lib"
  ln -sfn "$LIB_DIR/libtensorflow_cc.so.2" "$PKG/deps/lib/libtensorflow_cc.so.2"
  ln -sfn "$LIB_DIR/libtensorflow_framework.so.2" "$PKG/deps/lib/libtensorflow_framework.so.2"
  # The link names binding.gyp asks for (-ltensorflow -ltensorflow_framework).
  ln -sfn libtensorflow_cc.so.2 "$PKG/deps/lib/libtensorflow.so"
  ln -sfn libtensorflow_framework.so.2 "$PKG/deps/lib/libtensorflow_framework.so"
  ln -sfn "$INC_DIR" "$PKG/deps/include"
}

# Fast path: everything in place (or only the addon copy missing after a fresh `npm ci`).
if [[ -f "$LIB_DIR/.complete" && -f "$ADDON_CACHE" ]]; then
  link_deps
  if ! cmp -s "$ADDON_CACHE" "$PKG/$ADDON_REL"; then
    mkdir -p "$PKG/$(dirname "$ADDON_REL")"
    cp "$ADDON_CACHE" "$PKG/$ADDON_REL"
    log "restored the cached addon into $PKG/$ADDON_REL"
  fi
  if OUT="$(verify)"; then
    log "ready: @tensorflow/tfjs-node ${OUT##*$'\n'} ($(awk -v s="$START_NS" -v e="$(date +%s%N)" 'BEGIN { printf "%.1f", (e - s) / 1e9 }') s, nothing to build)"
    exit 0
  fi
  log "the cached addon does not load, rebuilding: $OUT"
  rm -f "$ADDON_CACHE"
fi

# 2. Toolchain (node-gyp needs make, a C++ compiler and python3; strip comes with binutils).
missing=()
for tool in make g++ python3 strip; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]} > 0)); then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    log "installing build-essential python3 with apt-get (missing: ${missing[*]})"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential python3 >/dev/null
  else
    die "missing ${missing[*]}: install build-essential and python3 (e.g. sudo apt-get install -y build-essential python3)"
  fi
fi
python3 -m pip --version >/dev/null 2>&1 || die "python3 -m pip is missing (apt-get install python3-pip): it downloads the tensorflow-cpu wheel"

# 3. TensorFlow's C library from the PyPI wheel.
if [[ ! -f "$LIB_DIR/.complete" ]]; then
  mkdir -p "$CACHE/download"
  WHEEL="$(ls "$CACHE"/download/tensorflow_cpu-"$TF_VERSION"-*.whl 2>/dev/null | head -n 1 || true)"
  if [[ -z "$WHEEL" ]]; then
    log "downloading tensorflow-cpu==$TF_VERSION (about 270 MB) from PyPI"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version "$WHEEL_PYTHON" \
      --platform "$WHEEL_PLATFORM" "tensorflow-cpu==$TF_VERSION" -d "$CACHE/download"
    WHEEL="$(ls "$CACHE"/download/tensorflow_cpu-"$TF_VERSION"-*.whl | head -n 1)"
    DOWNLOADED_BYTES=$(stat -c %s "$WHEEL")
  fi
  log "extracting and stripping the libraries from $(basename "$WHEEL")"
  rm -rf "$LIB_DIR" "$INC_DIR" "$CACHE/extract"
  python3 - "$WHEEL" "$CACHE/extract" "${HEADERS[@]}" <<'PY'
import sys, zipfile
wheel, dest, headers = sys.argv[1], sys.argv[2], sys.argv[3:]
members = ['tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'] + ['tensorflow/include/' + h for h in headers]
with zipfile.ZipFile(wheel) as z:
    for m in members:
        z.extract(m, dest)
PY
  mkdir -p "$LIB_DIR"
  for lib in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do
    strip --strip-unneeded -o "$LIB_DIR/$lib" "$CACHE/extract/tensorflow/$lib"
  done
  mv "$CACHE/extract/tensorflow/include" "$INC_DIR"
  rm -rf "$CACHE/extract"
  # The libraries are the cache from now on; pip keeps its own copy of the wheel in its cache.
  rm -f "$WHEEL"
  echo "tensorflow-cpu==$TF_VERSION $(basename "$WHEEL")" >"$LIB_DIR/.complete"
fi
link_deps

# 4. The addon, from source, against the local node's headers (nodejs.org is not reachable).
NODEDIR="$(dirname "$(dirname "$(command -v node)")")"
[[ -f "$NODEDIR/include/node/node_api.h" ]] || die "no node headers in $NODEDIR/include/node (node-gyp cannot download them here): install the node headers package"
log "building tfjs_binding from source (node-gyp, -j $JOBS, --nodedir=$NODEDIR)"
BUILD_LOG="$CACHE/build.log"
if ! (cd "$PKG" && npm_config_jobs="$JOBS" npm_config_nodedir="$NODEDIR" node "$(node -p "require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', { paths: ['$PKG'] })")" \
  install --build-from-source --nodedir="$NODEDIR" >"$BUILD_LOG" 2>&1); then
  tail -n 30 "$BUILD_LOG" >&2
  die "building the addon failed (full log: $BUILD_LOG)"
fi
[[ -f "$PKG/$ADDON_REL" ]] || die "node-pre-gyp finished but $PKG/$ADDON_REL is missing (log: $BUILD_LOG)"
mkdir -p "$(dirname "$ADDON_CACHE")"
cp "$PKG/$ADDON_REL" "$ADDON_CACHE"
rm -rf "$PKG/build"

OUT="$(verify)" || die "the built addon does not load: $OUT"
SECONDS_TAKEN="$(awk -v s="$START_NS" -v e="$(date +%s%N)" 'BEGIN { printf "%.1f", (e - s) / 1e9 }')"
log "ready: @tensorflow/tfjs-node ${OUT##*$'\n'}"
log "cost: ${SECONDS_TAKEN} s, $(mb "$DOWNLOADED_BYTES") MB downloaded, $(mb "$(du_bytes "$CACHE")") MB in $CACHE, $(mb "$(du -sb "$PKG" | cut -f1)") MB in $PKG (libraries symlinked)"
