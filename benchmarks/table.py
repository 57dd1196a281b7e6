#!/usr/bin/env python3
"""Prints benchmarks/run.sh's tables from the raw outputs it left in OUT.

Usage: table.py OUT PYTM_OK(0|1) TIMEOUT SIZE...

run.sh calls it at the end; run it again to reprint the tables without rerunning anything.
"""
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
    if s != 0 and "MemoryError" in read(name + ".err"):
        return "OUT-OF-MEMORY"
    return "ok" if s == 0 else "TIMEOUT" if s in (124, 137) else "CRASH(signal %d)" % (s - 128) if s > 128 else "FAIL(%d)" % s

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
    if a is None or not b:
        return "—"
    return "%.1f×" % (a / b) if a / b < 100 else "%.0f×" % (a / b)

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
    r["bench_proc"] = gnu_time("bench-%s" % n)
    r["stages"] = stages
    r["validate_status"] = status("validate-%s" % n)
    r["validate"] = gnu_time("validate-%s" % n)
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
print("Stage times (agentpath-bench, median of the repetitions, seconds; output sizes in bytes). A run that crashed or timed out shows the stages it finished.")
print("| elements | file bytes | libyaml floor | parse | validate | graph | analyze | findings.json | SARIF | report.html | policies | JUnit | peak RSS MB | status |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    def em(k):
        v = r["stages"].get(k)
        return "%s (%s B)" % (f(float(v[0])), v[1]) if v else "—"
    rss = r["stages"].get("peak_rss_kb") or r["stages"].get("peak_rss_kb_after_analyze")
    bench_rss = r["bench_proc"]["rss"]
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        r["elements"], r["bytes"], f(r["floor"]), f(st(r, "parse")), f(st(r, "validate")), f(st(r, "graph")),
        f(st(r, "analyze")), em("emit findings.json"), em("emit SARIF"), em("emit report.html"),
        em("emit policies"), em("emit JUnit"), f(bench_rss, "MB") if bench_rss else (f(float(rss[0]), "MB") if rss else "—"),
        r["bench_status"]))

print()
print("End to end (/usr/bin/time -v; timeout %ss) and ratios" % timeout)
print("| elements | libyaml floor s (one parse) | validate wall s | validate ÷ floor | check wall s | check CPU s | check peak RSS MB | check wall ÷ floor | parse ÷ floor | pytm status | pytm build+check+resolve s | pytm json s | pytm wall s | pytm peak RSS MB | pytm ÷ check (wall) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
prev = None
for r in rows:
    c = r["check"] if r["check_status"] == "ok" else {"wall": None, "cpu": None, "rss": r["check"]["rss"]}
    p = r["pytm"]
    pt = sum(float(p[k]) for k in ("build_s", "check_s", "resolve_s")) if r["pytm_status"] == "ok" and "resolve_s" in p else None
    pw = r["pytm_proc"]["wall"] if r["pytm_status"] == "ok" else None
    v = r["validate"]["wall"] if r["validate_status"] == "ok" else None
    print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        r["elements"], f(r["floor"]), f(v) if r["validate_status"] in ("ok", "MISSING") else r["validate_status"], ratio(v, r["floor"]),
        f(c["wall"]) if r["check_status"] == "ok" else r["check_status"], f(c["cpu"]), (f(c["rss"], "MB") if r["check_status"] == "ok" else "≥ %s (ended early)" % f(c["rss"], "MB")) if c["rss"] else "—",
        ratio(c["wall"], r["floor"]), ratio(st(r, "parse"), r["floor"]),
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
