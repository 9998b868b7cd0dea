#!/usr/bin/env bash
# Builds the optional native kernels (the C files here) into DIR/native/linux-x86_64, from where they go into
# the engine's jar. Without a C compiler it says so and succeeds: the engine then has only its Java kernels.
# Usage: build.sh DIR   (CC picks the compiler; default cc)
set -euo pipefail
out="$1/native/linux-x86_64"
cc="${CC:-cc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "[nemotron4j] no C compiler ($cc): the optional native kernels are not built"
  exit 0
fi
mkdir -p "$out"
"$cc" -O3 -shared -fPIC -Wall -Wextra -Werror -o "$out/libnemotron4j-kernels.so" \
  "$(dirname "$0")"/*.c
echo "[nemotron4j] built $out/libnemotron4j-kernels.so with $("$cc" --version | head -n 1)"
