#!/usr/bin/env bash
# Puts the native part of an installed @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu package in
# place (lib/napi-v*/tfjs_binding.node and TensorFlow's C library in deps/lib), by one of two routes:
#   download  the package's own install script: libtensorflow 2.9.1 (CPU, or GPU for -gpu) and a
#             prebuilt addon from Google's storage (builds the addon when no prebuilt one matches).
#             Needs internet access beyond the package registries: the images' default.
#   registry  only the package registries: TensorFlow's C library from the PyPI wheel
#             (`tensorflow-cpu` for tfjs-node, `tensorflow` — the CUDA build — for tfjs-node-gpu),
#             downloaded with pip, unzipped (never pip-installed) and stripped; the addon is built from
#             source with node-gyp against the local node headers. For air-gapped builds and our machines.
# One script for `npm run setup:tensorflow` (ensure-tensorflow-backend.sh: libraries linked from the
# cache) and the images' `tensorflow` stage (docker/Dockerfile*: --libs copy, real files that a
# COPY can take into the runtime stage; tools/images tests that stage on the host).
#
# Usage: tensorflow-native.sh [--source registry|download] [--libs link|copy] [--cache DIR] PACKAGE_DIR
#   --source  route, default registry
#   --libs    registry route: symlink deps/lib to the cache (link, default) or put real files there (copy)
#   --cache   registry route: download/extract/addon cache, default $METAREC_TF_CACHE or
#             ~/.cache/metarec/tensorflow/<TF version>[-gpu]
# Env: METAREC_TF_JOBS (node-gyp jobs, default 2), TENSORFLOW_NATIVE_LOG_PREFIX (log tag).
# Idempotent: with the cache filled, the registry route copies or links and verifies (< 2 s).
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
LIBS=(libtensorflow_cc.so.2 libtensorflow_framework.so.2)

PREFIX="${TENSORFLOW_NATIVE_LOG_PREFIX:-tensorflow-native}"
log() { printf '[%s] %s\n' "$PREFIX" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$PREFIX" "$*" >&2; exit 1; }
usage() { sed -n '/^# Usage:/,/^# Idempotent/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
du_bytes() { du -sbL "$@" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
elapsed() { awk -v s="$START_NS" -v e="$(date +%s%N)" 'BEGIN { printf "%.1f", (e - s) / 1e9 }'; }

SOURCE=registry
LIB_MODE=link
CACHE=""
PKG=""
while (($# > 0)); do
  case "$1" in
    --source) SOURCE="${2:-}"; shift 2 ;;
    --libs) LIB_MODE="${2:-}"; shift 2 ;;
    --cache) CACHE="${2:-}"; shift 2 ;;
    -h | --help) usage ;;
    -*) die "unknown option $1 (--help lists them)" ;;
    *) [[ -z "$PKG" ]] || die "one PACKAGE_DIR only (got $PKG and $1)"; PKG="$1"; shift ;;
  esac
done
[[ "$SOURCE" == registry || "$SOURCE" == download ]] || die "--source is registry or download, not '$SOURCE'"
[[ "$LIB_MODE" == link || "$LIB_MODE" == copy ]] || die "--libs is link or copy, not '$LIB_MODE'"
[[ -n "$PKG" ]] || usage
[[ -f "$PKG/package.json" ]] || die "$PKG is not an installed package (no package.json)"
PKG="$(cd "$PKG" && pwd)"

START_NS=$(date +%s%N)
DOWNLOADED_BYTES=0
JOBS="${METAREC_TF_JOBS:-2}"

[[ "$(uname -s)/$(uname -m)" == "Linux/x86_64" ]] || die "only Linux x86_64 is supported (TensorFlow's wheels and tfjs-node's libtensorflow), not $(uname -s)/$(uname -m)"
command -v node >/dev/null || die "node is not on PATH"

PKG_NAME="$(node -p "require('$PKG/package.json').name")"
PKG_VERSION="$(node -p "require('$PKG/package.json').version")"
case "$PKG_NAME" in
  @tensorflow/tfjs-node) WHEEL=tensorflow-cpu; VARIANT_SUFFIX="" ;;
  @tensorflow/tfjs-node-gpu) WHEEL=tensorflow; VARIANT_SUFFIX="-gpu" ;;
  *) die "$PKG is $PKG_NAME, not @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu" ;;
esac
[[ "$PKG_VERSION" == "$TFJS_NODE_VERSION" ]] || die "$PKG_NAME is $PKG_VERSION, this script builds $TFJS_NODE_VERSION (update both together)"

# String(): `node -p` colours a number when FORCE_COLOR is set (nx and vitest set it), a string never.
NAPI="$(node -p "String(Math.max(...require('$PKG/package.json').binary.napi_versions.filter((v) => v <= Number(process.versions.napi))))")"
ADDON_REL="lib/napi-v$NAPI/tfjs_binding.node"

# Loads the package and runs one op on the `tensorflow` backend; prints the TF version it reports.
# TF_CPP_MIN_LOG_LEVEL=2 keeps TensorFlow's start-up notes (oneDNN, CPU features, no CUDA driver) out.
verify() {
  TF_CPP_MIN_LOG_LEVEL=2 node -e "
    const tf = require(process.argv[1]);
    const s = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync();
    if (tf.getBackend() !== 'tensorflow' || s[0] !== 4 || s[1] !== 6) { console.error('backend', tf.getBackend(), Array.from(s)); process.exit(1); }
    console.log(tf.version['tfjs-node'] + ' on TensorFlow ' + tf.backend().binding.TF_Version);" "$PKG" 2>&1
}

require_toolchain() {
  # node-gyp needs make, a C++ compiler and python3; strip comes with binutils.
  local missing=() tool
  for tool in make g++ python3 strip; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  ((${#missing[@]} == 0)) && return 0
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    log "installing build-essential python3 python3-pip with apt-get (missing: ${missing[*]})"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential python3 python3-pip >/dev/null
  else
    die "missing ${missing[*]}: install build-essential and python3 (e.g. sudo apt-get install -y build-essential python3)"
  fi
}

# --- download: exactly what `npm install` would run if scripts were allowed.
if [[ "$SOURCE" == download ]]; then
  INSTALL_SCRIPT="$(node -p "require('$PKG/package.json').scripts.install")"
  log "running $PKG_NAME's install script ($INSTALL_SCRIPT): downloads libtensorflow and the prebuilt addon"
  # `npm run` in the package puts every ancestor node_modules/.bin (node-pre-gyp) on PATH; it does
  # not consult allowScripts, which only governs scripts run during npm install/ci/rebuild.
  (cd "$PKG" && npm run --silent install) || die "$PKG_NAME's install script failed (it needs internet access; the registry route does not)"
  OUT="$(verify)" || die "the downloaded addon does not load: $OUT"
  log "ready: $PKG_NAME ${OUT##*$'\n'} ($(elapsed) s; $(mb "$(du_bytes "$PKG/deps/lib")") MB in deps/lib)"
  exit 0
fi

# --- registry
CACHE="${CACHE:-${METAREC_TF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/metarec/tensorflow/$TF_VERSION$VARIANT_SUFFIX}}"
NODE_ABI="$(node -p 'process.versions.modules')"
ADDON_CACHE="$CACHE/addon/tfjs-node-$TFJS_NODE_VERSION-node-abi$NODE_ABI-napi$NAPI/tfjs_binding.node"
LIB_DIR="$CACHE/lib"
INC_DIR="$CACHE/include"

# deps/ as binding.gyp expects it: the two libraries, the link names it asks for
# (-ltensorflow -ltensorflow_framework) and the headers. `copy` makes real files (hard links when the
# cache is on the same file system) so that an image's COPY of deps/lib takes the libraries along.
place_deps() {
  local lib
  mkdir -p "$PKG/deps/lib"
  for lib in "${LIBS[@]}"; do
    if [[ "$LIB_MODE" == link ]]; then
      ln -sfn "$LIB_DIR/$lib" "$PKG/deps/lib/$lib"
    elif ! [[ -f "$PKG/deps/lib/$lib" && ! -L "$PKG/deps/lib/$lib" ]] || ! cmp -s "$LIB_DIR/$lib" "$PKG/deps/lib/$lib"; then
      rm -f "$PKG/deps/lib/$lib"
      ln "$LIB_DIR/$lib" "$PKG/deps/lib/$lib" 2>/dev/null || cp "$LIB_DIR/$lib" "$PKG/deps/lib/$lib"
    fi
  done
  ln -sfn libtensorflow_cc.so.2 "$PKG/deps/lib/libtensorflow.so"
  ln -sfn libtensorflow_framework.so.2 "$PKG/deps/lib/libtensorflow_framework.so"
  # -n does not replace a real directory (left by the other mode): remove it first.
  [[ -L "$PKG/deps/include" ]] || rm -rf "$PKG/deps/include"
  if [[ "$LIB_MODE" == link ]]; then
    ln -sfn "$INC_DIR" "$PKG/deps/include"
  else
    rm -f "$PKG/deps/include" && cp -r "$INC_DIR" "$PKG/deps/include"
  fi
}

# Fast path: everything cached (or only the addon copy missing after a fresh install).
if [[ -f "$LIB_DIR/.complete" && -f "$ADDON_CACHE" ]]; then
  place_deps
  if ! cmp -s "$ADDON_CACHE" "$PKG/$ADDON_REL"; then
    mkdir -p "$PKG/$(dirname "$ADDON_REL")"
    cp "$ADDON_CACHE" "$PKG/$ADDON_REL"
    log "restored the cached addon into $PKG/$ADDON_REL"
  fi
  if OUT="$(verify)"; then
    log "ready: $PKG_NAME ${OUT##*$'\n'} ($(elapsed) s, nothing to build)"
    exit 0
  fi
  log "the cached addon does not load, rebuilding: $OUT"
  rm -f "$ADDON_CACHE"
fi

require_toolchain
python3 -m pip --version >/dev/null 2>&1 || die "python3 -m pip is missing (apt-get install python3-pip): it downloads the $WHEEL wheel"

# TensorFlow's C library from the PyPI wheel.
if [[ ! -f "$LIB_DIR/.complete" ]]; then
  mkdir -p "$CACHE/download"
  WHEEL_FILE="$(ls "$CACHE"/download/"${WHEEL//-/_}"-"$TF_VERSION"-*.whl 2>/dev/null | head -n 1 || true)"
  if [[ -z "$WHEEL_FILE" ]]; then
    log "downloading $WHEEL==$TF_VERSION ($([[ "$WHEEL" == tensorflow ]] && echo 'about 570 MB' || echo 'about 270 MB')) from PyPI"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version "$WHEEL_PYTHON" \
      --platform "$WHEEL_PLATFORM" "$WHEEL==$TF_VERSION" -d "$CACHE/download"
    WHEEL_FILE="$(ls "$CACHE"/download/"${WHEEL//-/_}"-"$TF_VERSION"-*.whl | head -n 1)"
    DOWNLOADED_BYTES=$(stat -c %s "$WHEEL_FILE")
  fi
  log "extracting and stripping the libraries from $(basename "$WHEEL_FILE")"
  rm -rf "$LIB_DIR" "$INC_DIR" "$CACHE/extract"
  python3 - "$WHEEL_FILE" "$CACHE/extract" "${HEADERS[@]}" <<'PY'
import sys, zipfile
wheel, dest, headers = sys.argv[1], sys.argv[2], sys.argv[3:]
members = ['tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'] + ['tensorflow/include/' + h for h in headers]
with zipfile.ZipFile(wheel) as z:
    for m in members:
        z.extract(m, dest)
PY
  mkdir -p "$LIB_DIR"
  for lib in "${LIBS[@]}"; do
    strip --strip-unneeded -o "$LIB_DIR/$lib" "$CACHE/extract/tensorflow/$lib"
  done
  mv "$CACHE/extract/tensorflow/include" "$INC_DIR"
  rm -rf "$CACHE/extract"
  # The libraries are the cache from now on; pip keeps its own copy of the wheel in its cache.
  rm -f "$WHEEL_FILE"
  echo "$WHEEL==$TF_VERSION $(basename "$WHEEL_FILE")" >"$LIB_DIR/.complete"
fi
place_deps

# The addon, from source, against the local node's headers (nodejs.org may not be reachable).
NODEDIR="$(dirname "$(dirname "$(command -v node)")")"
[[ -f "$NODEDIR/include/node/node_api.h" ]] || die "no node headers in $NODEDIR/include/node (node-gyp cannot download them here): install the node headers package"
NODE_PRE_GYP="$(node -p "require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', { paths: [process.argv[1]] })" "$PKG")"
log "building tfjs_binding from source (node-gyp, -j $JOBS, --nodedir=$NODEDIR)"
mkdir -p "$CACHE"
BUILD_LOG="$CACHE/build.log"
if ! (cd "$PKG" && npm_config_jobs="$JOBS" npm_config_nodedir="$NODEDIR" node "$NODE_PRE_GYP" \
  install --build-from-source --nodedir="$NODEDIR" >"$BUILD_LOG" 2>&1); then
  tail -n 30 "$BUILD_LOG" >&2
  die "building the addon failed (full log: $BUILD_LOG)"
fi
[[ -f "$PKG/$ADDON_REL" ]] || die "node-pre-gyp finished but $PKG/$ADDON_REL is missing (log: $BUILD_LOG)"
mkdir -p "$(dirname "$ADDON_CACHE")"
cp "$PKG/$ADDON_REL" "$ADDON_CACHE"
rm -rf "$PKG/build"

OUT="$(verify)" || die "the built addon does not load: $OUT"
log "ready: $PKG_NAME ${OUT##*$'\n'}"
log "cost: $(elapsed) s, $(mb "$DOWNLOADED_BYTES") MB downloaded, $(mb "$(du_bytes "$CACHE")") MB in $CACHE, $(mb "$(du -sb "$PKG" | cut -f1)") MB in $PKG (libraries $([[ "$LIB_MODE" == link ]] && echo symlinked || echo copied))"
