#!/usr/bin/env python3
"""Validate findings JSON files against schema/findings.schema.json.

Usage: validate_findings.py SCHEMA FILE...

Exit status: 0 when the schema is a valid draft 2020-12 schema, every file validates, and the
schema rejects deliberately broken copies of the first file (so that `additionalProperties:
false` and the required keys are known to bite); 1 when anything fails; 3 when the `jsonschema`
package is missing. Driven by Tests/AgentPathTests/FindingsSchemaTests.swift.
"""
import copy
import json
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError as error:  # the Swift test turns this into a loud failure
    print(f"jsonschema is not installed for {sys.executable}: {error}. "
          "Install it with: python3 -m pip install -r .ci/requirements.txt", file=sys.stderr)
    sys.exit(3)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as error:
        print(f"{argv[1]}: not a valid draft 2020-12 schema: {error.message}", file=sys.stderr)
        return 1
    validator = Draft202012Validator(schema)
    failed = False
    documents = []
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        documents.append(document)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors[:20]:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            print(f"{path}: {where}: {error.message}", file=sys.stderr)
        if errors:
            failed = True
        else:
            print(f"{path}: valid ({len(document.get('findings', []))} findings)")

    # The schema must reject what FindingsJSON never emits.
    sample = documents[0]
    broken = []
    d = copy.deepcopy(sample); d["unexpected"] = True; broken.append(("unknown top-level key", d))
    d = copy.deepcopy(sample); del d["limits"]; broken.append(("missing limits", d))
    d = copy.deepcopy(sample); d["version"] = 1; broken.append(("version 1", d))
    if sample["findings"]:
        d = copy.deepcopy(sample); d["findings"][0]["extra"] = 1; broken.append(("unknown finding key", d))
        d = copy.deepcopy(sample); d["findings"][0]["fingerprint"] = "XYZ"; broken.append(("bad fingerprint", d))
        d = copy.deepcopy(sample); d["findings"][0]["severity"] = "severe"; broken.append(("bad severity", d))
        d = copy.deepcopy(sample); d["findings"][0]["location"]["line"] = "1"; broken.append(("string line", d))
    for name, document in broken:
        if validator.is_valid(document):
            print(f"schema accepts a broken document ({name})", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
