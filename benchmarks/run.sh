#!/usr/bin/env bash
# The benchmark of issue #8, in one command (docs/performance.md):
#
#   benchmarks/run.sh                 # sizes 100 1000 10000 100000
#   SIZES="100 1000" benchmarks/run.sh
#
# Generates the realistic-topology models (gen_model.py --topology realistic --seed 1), builds
# the release agentpath and agentpath-bench, compiles the libyaml floor (yaml_floor.c), and for
# each size runs: the floor, agentpath-bench (stage times, one model per process), `agentpath
# check` end to end under /usr/bin/time -v, and pytm on the equivalent model. Every run has a
# timeout (TIMEOUT seconds, default 300) and is reported as TIMEOUT when it hits it; a run that
# fails is reported as FAIL(exit code). Prints one table; raw outputs stay in OUT.
#
# Environment: SIZES, SEED (1), TIMEOUT (300), REPS (3, repetitions per stage in
# agentpath-bench), REPS_LARGE (1, the same for sizes of 10,000 and more), OUT (/tmp/agentpath-bench), SKIP_BUILD=1 to reuse .build/release,
# SKIP_PYTM=1 to leave pytm out. Needs swift, cc, libyaml-dev, python3, /usr/bin/time and, for
# the pytm column, `pip install pytm pyyaml`.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZES=${SIZES:-"100 1000 10000 100000"}
SEED=${SEED:-1}
TIMEOUT=${TIMEOUT:-300}
REPS=${REPS:-3}
REPS_LARGE=${REPS_LARGE:-1}   # repetitions per stage for sizes of 10,000 and more
OUT=${OUT:-/tmp/agentpath-bench}
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
    say "   agentpath check"
    rm -rf "$OUT/check-$n"; mkdir -p "$OUT/check-$n"
    run "check-$n" "$BIN/agentpath" check "$model" --no-config --fail-on none --format json \
        --sarif "$OUT/check-$n/findings.sarif" --junit "$OUT/check-$n/junit.xml"
    if [ "$PYTM_OK" = 1 ]; then say "   pytm"; run "pytm-$n" python3 benchmarks/pytm_equivalent.py "$model"; fi
done

python3 - "$OUT" "$PYTM_OK" "$TIMEOUT" $SIZES <<'PY'
import os, re, sys
out, pytm_ok, timeout, sizes = sys.argv[1], sys.argv[2] == "1", sys.argv[3], sys.argv[4:]

def read(name):
    try:
        with open(os.path.join(out, name), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""

def status(name):
    s = read(name + ".status").strip()
    if s == "":
        return "MISSING"
    s = int(s)
    return "ok" if s == 0 else "TIMEOUT" if s in (124, 137) else "FAIL(%d)" % s

def gnu_time(name):
    t = read(name + ".time")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    user = re.search(r"User time \(seconds\): ([\d.]+)", t)
    sys_ = re.search(r"System time \(seconds\): ([\d.]+)", t)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    w = None
    if wall:
        w = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    return {"wall": w, "cpu": (float(user.group(1)) + float(sys_.group(1))) if user and sys_ else None,
            "rss": int(rss.group(1)) if rss else None}

def kv(text):
    return dict(re.findall(r"(\w+)=([\w.]+)", text))

def f(x, unit="s"):
    if x is None:
        return "—"
    if unit == "s":
        return "%.3f" % x if x < 10 else "%.1f" % x
    if unit == "MB":
        return "%.0f" % (x / 1024)
    return str(x)

def ratio(a, b):
    return "%.1f×" % (a / b) if a is not None and b else "—"

rows = []
for n in sizes:
    r = {"n": n}
    gen = read("gen-%s.err" % n)
    m = re.search(r": (\d+) elements, (\d+) bytes", gen)
    r["elements"], r["bytes"] = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    fl = kv(read("floor-%s.out" % n))
    r["floor_status"] = status("floor-%s" % n)
    r["floor"] = float(fl["best_s"]) if "best_s" in fl else None
    r["floor_proc"] = gnu_time("floor-%s" % n)
    stages = {}
    for line in read("bench-%s.tsv" % n).splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 3:
            stages[parts[1]] = (parts[2], parts[4] if len(parts) > 4 else "")
    r["bench_status"] = status("bench-%s" % n)
    r["stages"] = stages
    r["check_status"] = status("check-%s" % n)
    r["check"] = gnu_time("check-%s" % n)
    r["sizes"] = {}
    for name, path in (("json", "check-%s.out" % n), ("sarif", "check-%s/findings.sarif" % n), ("junit", "check-%s/junit.xml" % n)):
        p = os.path.join(out, path)
        r["sizes"][name] = os.path.getsize(p) if os.path.exists(p) and r["check_status"] == "ok" else None
    r["pytm_status"] = status("pytm-%s" % n) if pytm_ok else "MISSING"
    r["pytm"] = kv(read("pytm-%s.out" % n))
    r["pytm_proc"] = gnu_time("pytm-%s" % n)
    rows.append(r)

def st(r, k):
    v = r["stages"].get(k)
    return float(v[0]) if v else None

print()
print("Stage times (agentpath-bench, median of REPS, seconds) and output sizes (bytes)")
print("| elements | file bytes | libyaml floor | parse | validate | graph | analyze | findings.json | SARIF | JUnit | report.html | policies | bench peak RSS MB |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    if r["bench_status"] != "ok":
        print("| %s | %s | %s | %s |||||||||" % (r["elements"], r["bytes"], f(r["floor"]), r["bench_status"]))
        continue
    def em(k):
        v = r["stages"].get(k)
        return "%s (%s B)" % (f(float(v[0])), v[1]) if v else "—"
    rss = r["stages"].get("peak_rss_kb")
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        r["elements"], r["bytes"], f(r["floor"]), f(st(r, "parse")), f(st(r, "validate")), f(st(r, "graph")),
        f(st(r, "analyze")), em("emit findings.json"), em("emit SARIF"), em("emit JUnit"), em("emit report.html"),
        em("emit policies"), f(float(rss[0]), "MB") if rss else "—"))

print()
print("End to end (/usr/bin/time -v; timeout %ss) and ratios" % timeout)
print("| elements | floor process s | check wall s | check CPU s | check peak RSS MB | check ÷ floor (wall) | parse ÷ floor (in-process) | pytm status | pytm build+check+resolve s | pytm json s | pytm wall s | pytm peak RSS MB | pytm ÷ check (wall) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
prev = None
for r in rows:
    c = r["check"] if r["check_status"] == "ok" else {"wall": None, "cpu": None, "rss": None}
    p = r["pytm"]
    pt = sum(float(p[k]) for k in ("build_s", "check_s", "resolve_s")) if r["pytm_status"] == "ok" and "resolve_s" in p else None
    pw = r["pytm_proc"]["wall"] if r["pytm_status"] == "ok" else None
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        r["elements"], f(r["floor_proc"]["wall"]),
        f(c["wall"]) if r["check_status"] == "ok" else r["check_status"], f(c["cpu"]), f(c["rss"], "MB"),
        ratio(c["wall"], r["floor_proc"]["wall"]), ratio(st(r, "parse"), r["floor"]),
        r["pytm_status"], f(pt), f(float(p["json_s"])) if "json_s" in p and r["pytm_status"] == "ok" else "—",
        f(pw), f(r["pytm_proc"]["rss"], "MB") if r["pytm_status"] == "ok" else "—", ratio(pw, c["wall"])))

print()
print("Growth (check CPU s per 1,000 elements) and check output sizes")
print("| elements | check CPU per 1k elements | check JSON bytes | SARIF bytes | JUnit bytes |")
print("|---|---|---|---|---|")
for r in rows:
    c = r["check"]
    per = c["cpu"] / r["elements"] * 1000 if r["check_status"] == "ok" and c["cpu"] and r["elements"] else None
    s = r["sizes"]
    print("| %s | %s | %s | %s | %s |" % (r["elements"], f(per), s["json"] or "—", s["sarif"] or "—", s["junit"] or "—"))
PY
