#!/usr/bin/env bash
# The whole published 20-row table over 10 seeds, with the compute-budget study (issue 14; BENCHMARKS.md §1b),
# written to docs/report/table/. With arguments, they replace the defaults, e.g.
#   scripts/bench-table.sh --rows VB-PINN,LCD --seeds 3 --out runs/table-vb-lcd
# Surrogates absent from examples/surrogates/ are first trained from the PDE alone by
# `scripts/train-examples.sh missing` (and `budget` for the budget study's -b2/-b4 PINNs when running the defaults;
# about an hour on 2 cores for all of them); TRAIN_MISSING=0 skips that, and bench table then skips a row whose
# surrogate is absent with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${TRAIN_MISSING:-1}" == 1 ]]; then
  scripts/train-examples.sh missing
  if [[ $# -eq 0 ]]; then
    for b in vb20-b2 vb20-b4 lcd20-b2 lcd20-b4; do
      [[ -f "examples/surrogates/$b/surrogate.json" ]] || scripts/train-examples.sh "$b"
    done
  fi
fi
if [[ $# -eq 0 ]]; then
  set -- --rows all --seeds 10 --seed 1 --points 1200 --levels 2 --base 10 --scheme full-history \
    --budget 1,2,4 --budget-rows vb20,lcd20 --precision fp64 --threads 2 --out docs/report/table --overwrite
fi
exec scripts/scasml bench table "$@"
