#!/usr/bin/env bash
# The benchmark of issue #8, in one command (docs/performance.md):
#
#   benchmarks/run.sh                 # sizes 100 1000 10000 100000
#   SIZES="100 1000" benchmarks/run.sh
#
# Generates the realistic-topology models (gen_model.py --topology realistic --seed 1), builds
# the release agentpath and agentpath-bench, compiles the libyaml floor (yaml_floor.c), and for
# each size runs: the floor, agentpath-bench (stage times, one model per process), `agentpath
# validate` and `agentpath check` end to end under /usr/bin/time -v, and pytm on the equivalent model. Every run has a
# timeout (TIMEOUT seconds, default 300) and is reported as TIMEOUT when it hits it; a run that
# fails is reported as FAIL(exit code). Prints one table; raw outputs stay in OUT.
#
# Environment: SIZES, SEED (1), TIMEOUT (300), REPS (3, repetitions per stage in
# agentpath-bench), REPS_LARGE (1, the same for sizes of 10,000 and more), OUT (.build/bench-results, git-ignored), SKIP_BUILD=1 to reuse .build/release,
# SKIP_PYTM=1 to leave pytm out, PYTM_VMEM_KB (8388608: pytm's address-space cap). Needs swift, cc, libyaml-dev, python3, /usr/bin/time and, for
# the pytm column, `pip install pytm pyyaml`.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZES=${SIZES:-"100 1000 10000 100000"}
SEED=${SEED:-1}
TIMEOUT=${TIMEOUT:-300}
REPS=${REPS:-3}
REPS_LARGE=${REPS_LARGE:-1}   # repetitions per stage for sizes of 10,000 and more
OUT=${OUT:-.build/bench-results}
PYTM_VMEM_KB=${PYTM_VMEM_KB:-8388608}   # 8 GiB of address space for pytm
mkdir -p "$OUT"

say() { printf '%s\n' "$*" >&2; }
die() { say "run.sh: $*"; exit 2; }

[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    say "== swift build -c release (agentpath, agentpath-bench)"
    swift build -c release --product agentpath >&2 || die "release build of agentpath failed"
    swift build -c release --product agentpath-bench >&2 || die "release build of agentpath-bench failed"
fi
BIN=$(swift build -c release --show-bin-path 2>/dev/null || echo "$ROOT/.build/release")
[ -x "$BIN/agentpath" ] && [ -x "$BIN/agentpath-bench" ] || die "no release binaries in $BIN"

say "== cc -O2 benchmarks/yaml_floor.c -lyaml"
cc -O2 -o "$OUT/yaml_floor" benchmarks/yaml_floor.c -lyaml || die "cannot compile yaml_floor.c (apt-get install libyaml-dev)"

PYTM_OK=1
if [ "${SKIP_PYTM:-0}" = 1 ]; then PYTM_OK=0
elif ! python3 -c 'import pytm, yaml' 2>"$OUT/pytm-import.err"; then
    say "run.sh: pytm is not importable ($(tail -1 "$OUT/pytm-import.err")); pytm columns show MISSING"
    PYTM_OK=0
fi

# run NAME CMD...: runs CMD under /usr/bin/time -v with the timeout; stdout → OUT/NAME.out,
# stderr → OUT/NAME.err, time's report → OUT/NAME.time, status → OUT/NAME.status.
run() {
    local name=$1; shift
    /usr/bin/time -v -o "$OUT/$name.time" timeout --kill-after=10 "$TIMEOUT" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
    echo $? >"$OUT/$name.status"
}

for n in $SIZES; do
    model="$OUT/model-$n.yaml"
    python3 benchmarks/gen_model.py "$n" --seed "$SEED" --topology realistic -o "$model" 2>"$OUT/gen-$n.err" || die "generator failed for $n"
    say "== $n: $(cat "$OUT/gen-$n.err")"
    say "   floor";        run "floor-$n" "$OUT/yaml_floor" "$model" 5
    reps=$REPS; [ "$n" -ge 10000 ] && reps=$REPS_LARGE
    say "   agentpath-bench (--reps $reps)"; run "bench-$n" "$BIN/agentpath-bench" --reps "$reps" --tsv "$OUT/bench-$n.tsv" "$model"
    say "   agentpath validate"; run "validate-$n" "$BIN/agentpath" validate "$model"
    say "   agentpath check"
    rm -rf "$OUT/check-$n"; mkdir -p "$OUT/check-$n"
    run "check-$n" "$BIN/agentpath" check "$model" --no-config --fail-on none --format json \
        --sarif "$OUT/check-$n/findings.sarif" --junit "$OUT/check-$n/junit.xml"
    if [ "$PYTM_OK" = 1 ]; then
        # pytm needs about 190 kB per element (1.9 GB at 10k); the cap keeps it from taking a
        # shared machine's memory at 100k. It then fails with MemoryError, shown as OUT-OF-MEMORY.
        say "   pytm (address space capped at $PYTM_VMEM_KB kB)"
        ( ulimit -v "$PYTM_VMEM_KB"; run "pytm-$n" python3 benchmarks/pytm_equivalent.py "$model" )
    fi
done

python3 benchmarks/table.py "$OUT" "$PYTM_OK" "$TIMEOUT" $SIZES
