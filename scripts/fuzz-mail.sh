#!/usr/bin/env bash
# Fuzzes the mail parser with libFuzzer for a bounded time (default 60 s), seeded with the corpus.
# Exits non-zero when the fuzzer finds a crash; the crashing input is left in .build-fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
SCRATCH=.build-fuzz
mkdir -p "$SCRATCH"
# Exit 3 (not 1) when the fuzzer cannot be built here, so callers can tell "no fuzzer" from "crash".
swift build --scratch-path "$SCRATCH" --product casebook-mail-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library >"$SCRATCH.log" 2>&1 || {
    echo "could not build the fuzzer (see $SCRATCH.log)" >&2
    exit 3
}
BIN="$(swift build --scratch-path "$SCRATCH" --product casebook-mail-fuzz --show-bin-path)/casebook-mail-fuzz"
WORK="$SCRATCH/fuzz-corpus"
mkdir -p "$WORK" "$SCRATCH/crashes"
cp Tests/CasebookMailTests/Corpus/*.eml "$WORK/" 2>/dev/null || true
"$BIN" "$WORK" -max_total_time="$SECONDS_TO_RUN" -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$SCRATCH/crashes/" -print_final_stats=1 2>&1 | tail -15
