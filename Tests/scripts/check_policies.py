#!/usr/bin/env python3
"""Checks agentpath's policy skeletons with the real engines.

Usage: check_policies.py POLICY_DIR [POLICY_DIR ...]

POLICY_DIR is what `agentpath policy --out DIR` writes (cedar/, rego/, vectors.json).
Cedar (cedarpy): the schema parses, the policies validate against it, the entities load
against it, and every vector gets its expected decision (and, for a denial, the expected
policy among the reasons). Rego: every vector gets its expected decision on regorus
(opa-eval) and on rego-cpp (regopy), and the two engines return the same decision object.
Prints `N passed, N failed`; exits 1 on any failure and 2 when an engine is missing.
"""
import json
import os
import sys


def load_engines():
    missing = []
    try:
        import cedarpy  # noqa: F401
    except ImportError:
        missing.append("cedarpy==4.12.2")
    try:
        import opa_eval  # noqa: F401
    except ImportError:
        missing.append("opa-eval==0.1.1")
    try:
        import regopy  # noqa: F401
    except ImportError:
        missing.append("regopy==1.5.2")
    if missing:
        print("=" * 72, file=sys.stderr)
        print("ERROR: policy engines missing: " + ", ".join(missing), file=sys.stderr)
        print("Install them: python3 -m pip install " + " ".join(missing), file=sys.stderr)
        print("(.ci/run installs them from .ci/requirements.txt)", file=sys.stderr)
        print("=" * 72, file=sys.stderr)
        print("0 passed, 1 failed")
        sys.exit(2)


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, label, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {label}" + (f": {detail}" if detail else ""))
        return ok


def cedar_uid(kind, ident):
    types = {"agent": "Agent", "tool": "Tool", "credential": "Credential", "data": "Data"}
    return f"AgentPath::{types[kind]}::" + json.dumps(ident)


def check_cedar(folder, vectors, t, name):
    import cedarpy
    from cedarpy import Entities, PolicySet, Schema, is_authorized_batch, validate_policies

    cdir = os.path.join(folder, "cedar")
    schema_text = open(os.path.join(cdir, "schema.cedarschema"), encoding="utf-8").read()
    policies = open(os.path.join(cdir, "policies.cedar"), encoding="utf-8").read()
    try:
        schema = Schema.from_str(schema_text)
    except Exception as e:  # noqa: BLE001
        t.check(False, f"{name}: cedar schema parses", str(e))
        return
    t.check(True, f"{name}: cedar schema parses")
    try:
        ps = PolicySet.from_str(policies)
        t.check(True, f"{name}: cedar policies parse")
    except Exception as e:  # noqa: BLE001
        t.check(False, f"{name}: cedar policies parse", str(e))
        return
    vr = validate_policies(policies, schema)
    t.check(vr.validation_passed, f"{name}: cedar policies validate against the schema",
            "; ".join(str(e) for e in vr.errors))
    try:
        entities = Entities.from_json_str(open(os.path.join(cdir, "entities.json"), encoding="utf-8").read(), schema=schema)
        t.check(True, f"{name}: cedar entities load against the schema")
    except Exception as e:  # noqa: BLE001
        t.check(False, f"{name}: cedar entities load against the schema", str(e))
        return
    # The Cedar request set must be the vectors, in Cedar's spelling.
    requests = json.load(open(os.path.join(cdir, "requests.json"), encoding="utf-8"))
    same = len(requests) == len(vectors) and all(
        r["name"] == v["name"] and r["expected"].lower() == v["expect"]
        and r["principal"] == cedar_uid("agent", v["request"]["principal"]["id"])
        and r["resource"] == cedar_uid(v["request"]["resource"]["type"], v["request"]["resource"]["id"])
        and r["context"] == v["request"]["context"]
        for r, v in zip(requests, vectors))
    t.check(same, f"{name}: cedar/requests.json matches vectors.json")
    if not requests:
        return
    batch = [{"principal": r["principal"], "action": r["action"], "resource": r["resource"],
              "context": r["context"], "correlation_id": str(i)} for i, r in enumerate(requests)]
    results = is_authorized_batch(batch, ps, entities, schema=schema)
    for r, res in zip(requests, results):
        got = res.decision.value
        errors = list(res.diagnostics.errors)
        ids = set(res.diagnostics.id_annotations_by_reason.values())
        ok = got == r["expected"] and not errors
        if ok and r["expected"] == "Deny" and r.get("policy"):
            ok = r["policy"] in ids
        elif ok and r["expected"] == "Allow" and r.get("policy"):
            ok = r["policy"] in ids
        t.check(ok, f"{name}: cedar: {r['name']}", f"expected {r['expected']} by {r.get('policy')}, got {got} {sorted(ids)} {errors}")


def regopy_decision(interp_cls, module, inp):
    r = interp_cls()
    r.add_module("agentpath.rego", module)
    r.set_input_term(json.dumps(inp))
    out = r.query("data.agentpath.authz.decision")
    if not out.ok():
        return None, "rego-cpp error"
    value = json.loads(str(out))
    return value["expressions"][0], None


def normalize(decision):
    if not isinstance(decision, dict):
        return decision
    return {"allow": decision.get("allow"), "permits": sorted(decision.get("permits", [])),
            "deny": sorted(decision.get("deny", []))}


def check_rego(folder, vectors, t, name):
    import opa_eval
    import regopy

    path = os.path.join(folder, "rego", "agentpath.rego")
    module = open(path, encoding="utf-8").read()
    try:
        ev = opa_eval.OpaEval(path, query="data.agentpath.authz.decision")
        t.check(True, f"{name}: rego parses on regorus")
    except Exception as e:  # noqa: BLE001
        t.check(False, f"{name}: rego parses on regorus", str(e))
        return
    # The generated `opa test` module must parse. Neither engine here can run it (rego-cpp
    # cannot run `with`; opa-eval loads one file), so its vectors run below instead.
    test_path = os.path.join(folder, "rego", "agentpath_test.rego")
    if os.path.exists(test_path):
        try:
            opa_eval.OpaEval(test_path, query="data.agentpath.authz_test")
            t.check(True, f"{name}: rego tests parse on regorus")
        except Exception as e:  # noqa: BLE001
            t.check(False, f"{name}: rego tests parse on regorus", str(e))
    for v in vectors:
        req = v["request"]
        inp = {"agent": req["principal"]["id"], "action": req["action"],
               "tool": req["resource"]["id"] if req["resource"]["type"] == "tool" else "",
               "resource": req["resource"], "context": req["context"]}
        expect = v["expect"] == "allow"
        try:
            a = normalize(ev.evaluate_parsed(json.dumps(inp)))
        except Exception as e:  # noqa: BLE001
            a = None
            t.check(False, f"{name}: regorus: {v['name']}", str(e))
        b, err = regopy_decision(regopy.Interpreter, module, inp)
        b = normalize(b)
        for engine, d in (("regorus", a), ("rego-cpp", b)):
            if d is None:
                t.check(False, f"{name}: {engine}: {v['name']}", err or "no decision")
                continue
            ok = d["allow"] is expect
            policy = v.get("policy")
            if ok and policy and not expect:
                ok = any(m.startswith(policy + ":") for m in d["deny"])
            if ok and policy and expect:
                ok = policy in d["permits"]
            t.check(ok, f"{name}: {engine}: {v['name']}", f"expected {v['expect']} by {policy}, got {d}")
        if a is not None and b is not None:
            t.check(a == b, f"{name}: regorus and rego-cpp agree: {v['name']}", f"{a} != {b}")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    load_engines()
    t = Tally()
    for folder in argv[1:]:
        name = os.path.basename(os.path.normpath(folder))
        doc = json.load(open(os.path.join(folder, "vectors.json"), encoding="utf-8"))
        name = doc.get("system", name)
        vectors = doc["vectors"]
        if os.path.isdir(os.path.join(folder, "cedar")):
            check_cedar(folder, vectors, t, name)
        if os.path.isdir(os.path.join(folder, "rego")):
            check_rego(folder, vectors, t, name)
    print(f"{t.passed} passed, {t.failed} failed")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
