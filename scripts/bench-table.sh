#!/usr/bin/env bash
# The whole published 20-row table over 10 seeds, with the compute-budget study (issue 14; BENCHMARKS.md §1b),
# written to docs/report/table/. Rows whose surrogate is absent from examples/surrogates/ are skipped with a note.
# With arguments, they replace the defaults, e.g.
#   scripts/bench-table.sh --rows VB-PINN,LCD --seeds 3 --out runs/table-vb-lcd
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -eq 0 ]]; then
  set -- --rows all --seeds 10 --seed 1 --points 1200 --levels 2 --base 10 --scheme full-history \
    --budget 1,2,4 --budget-rows vb20,lcd20 --precision fp64 --threads 2 --out docs/report/table --overwrite
fi
exec scripts/scasml bench table "$@"
