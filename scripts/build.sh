#!/usr/bin/env bash
# Builds the C++ library, command-line tool and tests into build/ and installs the
# library and tool into build/install (used by the downstream find_package test).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PWD/build/install" >/dev/null
cmake --build build -j "$jobs"
cmake --install build >/dev/null
