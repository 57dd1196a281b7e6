#!/usr/bin/env python3
"""Build a pytm model equivalent to an agentpath model file and time pytm's processing.

Usage: pytm_equivalent.py MODEL.yaml

The agentpath model (from gen_model.py) is read with PyYAML and mapped onto pytm, element for
element: zones → Boundary, humans → Actor, agents → Process, tools → Process, MCP servers →
Server, data → Datastore, launchers → ExternalEntity, credentials → Data (pytm's assets),
controls → flags on the elements they apply to (pytm's Controls). Every reference becomes a
Dataflow: human → agent (uses), launcher → agent, agent → tool, tool → server, data → tool
(reads), tool → data (writes), data → agent (reads), agent ↔ memory, agent → agent (delegates).

Times (monotonic clock, one run; pytm keeps its model in class-level state, so one model per
process): yaml (PyYAML read, not pytm), build (constructing the pytm objects, pytm's
equivalent of parse + validate), check (TM.check), resolve (TM.resolve: matching pytm's
threat library against every element; its analysis), json (pytm's JSON output, as
`--json` writes it) and dfd (the Graphviz DFD text, as `--dfd` prints it). Prints one line:
  pytm version=V elements=N flows=F findings=K yaml_s=.. build_s=.. check_s=.. resolve_s=.. json_s=.. json_bytes=.. dfd_s=.. maxrss_kb=..

Needs `pip install pytm pyyaml`. If pytm cannot be imported this script exits 3 with a message:
it never reports a time it did not measure.
"""
import json
import resource
import sys
import time

try:
    import yaml
except ImportError:
    sys.exit("pytm_equivalent.py: PyYAML is not installed (pip install pyyaml)")
try:
    import pytm
    from pytm import TM, Actor, Boundary, Data, Dataflow, Datastore, ExternalEntity, Process, Server
    from pytm.pytm import to_serializable
except ImportError as e:  # fail loudly: no pytm, no pytm numbers
    sys.stderr.write("pytm_equivalent.py: cannot import pytm (%s); install it with `pip install pytm`\n" % e)
    sys.exit(3)

try:
    from importlib.metadata import version as _version
    PYTM_VERSION = _version("pytm")
except Exception:  # pragma: no cover
    PYTM_VERSION = "unknown"

# agentpath control kinds → pytm Controls flags (the closest one; unknown kinds set nothing).
CONTROL_FLAGS = {
    "runtime_authorization": "authorizesSource", "human_approval": "authorizesSource",
    "egress_allowlist": "checksDestinationRevocation", "jit_credentials": "providesIntegrity",
    "tool_pinning": "providesIntegrity", "sandbox": "isHardened", "quarantine": "isHardened",
    "input_isolation": "sanitizesInput", "output_filter": "encodesOutput", "message_signing": "authenticatesSource",
    "audit_logging": "hasAccessControl", "rate_limit": "implementsPOLP", "memory_validation": "validatesInput",
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pytm_equivalent.py MODEL.yaml")
    t0 = time.monotonic()
    with open(sys.argv[1], "rb") as f:
        doc = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    t_yaml = time.monotonic() - t0

    t0 = time.monotonic()
    tm = TM(doc["system"]["id"])
    tm.description = doc["system"].get("name", "generated")
    tm.isOrdered = False
    boundaries = {z["id"]: Boundary(z["id"]) for z in doc.get("zones", [])}
    by_id = {}
    elements = len(boundaries)

    def place(obj, spec):
        zone = spec.get("zone")
        if zone in boundaries:
            obj.inBoundary = boundaries[zone]
        by_id[spec["id"]] = obj
        return obj

    for h in doc.get("humans", []):
        place(Actor(h["id"]), h)
    for s in doc.get("mcp_servers", []):
        place(Server(s["id"]), s)
    for d in doc.get("data", []):
        place(Datastore(d["id"]), d)
    for a in doc.get("agents", []):
        place(Process(a["id"]), a)
    for t in doc.get("tools", []):
        place(Process(t["id"]), t)
    for l in doc.get("launchers", []):
        place(ExternalEntity(l["id"]), l)
    assets = {c["id"]: Data(c["id"], description="credential %s" % c["kind"]) for c in doc.get("credentials", [])}
    elements += len(by_id) + len(assets) + len(doc.get("controls", []))

    flows = 0

    def flow(src, dst, name, data=None):
        nonlocal flows
        if src in by_id and dst in by_id:
            df = Dataflow(by_id[src], by_id[dst], name)
            if data is not None:
                df.data = data
            flows += 1

    for h in doc.get("humans", []):
        for a in h.get("uses", []):
            flow(h["id"], a, "uses")
    for l in doc.get("launchers", []):
        for a in l.get("launches", []):
            flow(l["id"], a, "launches")
    for a in doc.get("agents", []):
        for t in a.get("tools", []):
            flow(a["id"], t, "calls")
        for d in a.get("reads", []):
            flow(d, a["id"], "read into context")
        for m in a.get("memory", []):
            mid = m["id"] if isinstance(m, dict) else m
            flow(mid, a["id"], "memory read")
            flow(a["id"], mid, "memory write")
        for dl in a.get("delegates", []):
            passes = [assets[c] for c in dl.get("passes", []) if c in assets]
            flow(a["id"], dl["to"], "delegates", passes[0] if passes else None)
    for t in doc.get("tools", []):
        if t.get("server"):
            flow(t["id"], t["server"], "runs on")
        for d in t.get("reads", []):
            flow(d, t["id"], "reads")
        for d in t.get("writes", []):
            flow(t["id"], d, "writes")
    for c in doc.get("controls", []):
        flag = CONTROL_FLAGS.get(c.get("kind"))
        if flag and c.get("status") == "enforced":
            for target in c.get("applies_to", []):
                el = by_id.get(target)
                if el is not None and hasattr(el.controls, flag):
                    setattr(el.controls, flag, True)
    t_build = time.monotonic() - t0

    t0 = time.monotonic()
    tm.check()
    t_check = time.monotonic() - t0

    t0 = time.monotonic()
    tm.resolve()
    t_resolve = time.monotonic() - t0

    t0 = time.monotonic()
    out = json.dumps(tm, default=to_serializable)
    t_json = time.monotonic() - t0

    t0 = time.monotonic()
    dfd = tm.dfd()
    t_dfd = time.monotonic() - t0

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("pytm version=%s elements=%d flows=%d findings=%d yaml_s=%.4f build_s=%.4f check_s=%.4f resolve_s=%.4f "
          "json_s=%.4f json_bytes=%d dfd_s=%.4f dfd_bytes=%d maxrss_kb=%d"
          % (PYTM_VERSION, elements, flows, len(tm.findings), t_yaml, t_build, t_check, t_resolve,
             t_json, len(out.encode()), t_dfd, len(dfd.encode()), rss))


if __name__ == "__main__":
    main()
