#!/usr/bin/env bash
# The long search of the model-based lifecycle test (docs/model-based-testing.md): CHUNKS chunks of RUNS
# sequences, each with its own seed (FIRST_SEED, FIRST_SEED+1, ...), at the lowest priority. Each chunk's
# output goes to LOG_DIR/seed-<seed>.log; a failing chunk prints its seed, path and shrunk sequence there.
set -u
RUNS=${RUNS:-500}
CHUNKS=${CHUNKS:-10}
FIRST_SEED=${FIRST_SEED:-1}
LOG_DIR=${LOG_DIR:-model-search-logs}
mkdir -p "$LOG_DIR"
for ((i = 0; i < CHUNKS; i++)); do
  seed=$((FIRST_SEED + i))
  start=$(date +%s)
  if FC_NUM_RUNS=$RUNS FC_SEED=$seed nice -n 19 npx jest __tests__/model-based/lifecycle.test.ts >"$LOG_DIR/seed-$seed.log" 2>&1; then verdict=passed; else verdict=FAILED; fi
  echo "seed $seed: $RUNS sequences $verdict in $(($(date +%s) - start)) s" | tee -a "$LOG_DIR/summary.txt"
done
