#!/usr/bin/env bash
# Creates the Python environments the integration tests and benchmarks use, idempotently:
#   .venv          pandas 3.x + pyarrow + scikit-learn + psutil (+ ray 2.58 for the cluster tests): the demo's and the tests' interpreter, where
#                  a user (and the `headroom` CLI, from anywhere in the repository) expects a project's venv
#   .venv-pandas2  pandas 2.2.x + pyarrow (second pandas model)
#   .venv-jupyter  ipykernel (real Jupyter kernels for the memory-by-owner tests)
#   pandas 1.5.3 comes from Debian's python3-pandas on /usr/bin/python3 (third model)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh # python3-venv, and python3-pandas for the pandas 1.5 model
PY=${HEADROOM_BOOTSTRAP_PYTHON:-python3}
PIP_FLAGS=(--retries 0 --timeout 2 --disable-pip-version-check -q)

make_venv() { # dir, stamp, packages...
  local dir=$1 stamp=$2; shift 2
  if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ]; then return 0; fi
  rm -rf "$dir"
  "$PY" -m venv "$dir"
  "$dir/bin/python" -m pip install "${PIP_FLAGS[@]}" "$@"
  echo "$stamp" > "$dir/.stamp"
}

# An older layout kept environments under .venv/test, .venv/pandas2...: .venv without a stamp is rebuilt.
make_venv .venv "v2 pandas3 sklearn" "pandas==3.0.*" pyarrow "scikit-learn==1.9.*" psutil numpy pyyaml
# Ray for the cluster tests (test/integration/ray): the core package (ray[default]'s dashboard is not in the
# mirror); added to .venv in place, so an existing environment is not rebuilt for it.
.venv/bin/python -c 'import ray, sys; sys.exit(0 if ray.__version__.startswith("2.58.") else 1)' 2>/dev/null ||
  .venv/bin/python -m pip install "${PIP_FLAGS[@]}" "ray==2.58.*"
make_venv .venv-pandas2 "v1 pandas2.2" "pandas==2.2.*" pyarrow "numpy<2.3"
make_venv .venv-jupyter "v1 ipykernel" ipykernel

echo "python environments ready"
