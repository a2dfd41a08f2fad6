#!/usr/bin/env bash
# Installs the Debian packages the project needs, if any is missing (Debian bookworm, as root or
# with sudo). Safe to run repeatedly: does nothing when everything is present.
set -euo pipefail
packages=(cmake ninja-build g++ clang libgtest-dev libbenchmark-dev libeigen3-dev libboost-dev
          nlohmann-json3-dev python3 time libprotobuf-dev protobuf-compiler libonnx-dev
          libopenblas-dev libcli11-dev libfmt-dev gnuplot-nox clang-format libclang-rt-14-dev
          python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pytest python3-distributed)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
