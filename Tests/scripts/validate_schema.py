#!/usr/bin/env python3
"""Validate agentpath model files against the committed JSON Schema.

Usage: validate_schema.py SCHEMA MODEL [MODEL ...]

Reads each model as YAML 1.2 (core schema, as agentpath reads it: only true/false are
booleans, no timestamps, no sexagesimal numbers), then validates it with jsonschema's
Draft 2020-12 validator. Prints one line per problem.

Exit codes: 0 all valid, 1 some model is invalid (or not YAML), 3 a dependency (jsonschema, PyYAML) is
missing or the schema itself is not a valid draft 2020-12 schema. The Swift test treats
anything but 0 and 1 as a failure of the check itself, never as a pass.
"""
import json
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:  # pragma: no cover - the point is to fail loudly
    print(f"MISSING DEPENDENCY: {error}. Install python3-jsonschema and python3-yaml "
          "(pip install jsonschema pyyaml).", file=sys.stderr)
    sys.exit(3)


class Yaml12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema resolution for plain scalars."""


# Start from no implicit resolvers, then add the YAML 1.2 core schema's.
Yaml12Loader.yaml_implicit_resolvers = {}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))


def construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def construct_bool(loader, node):
    return loader.construct_scalar(node).lower() == "true"


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", construct_bool)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as error:
        print(f"SCHEMA ERROR: {error.message}", file=sys.stderr)
        return 3
    validator = jsonschema.Draft202012Validator(schema)
    failed = False
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                document = yaml.load(f, Loader=Yaml12Loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            print(f"{path}: cannot read as YAML: {error}")
            failed = True
            continue
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors:
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            print(f"{path}: {where}: {error.message}")
        if errors:
            failed = True
        else:
            print(f"{path}: valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
