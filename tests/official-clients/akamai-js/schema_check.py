#!/usr/bin/env python3
"""Compares the answers check.mjs recorded (AKAMAI_CHECK_DUMP) with the response schemas of Akamai's OpenAPI
definitions (a checkout of github.com/akamai/akamai-apis): every member must be one the schema declares
(additionalProperties: false), every required member present, every value of its declared type and enum.

Usage: AKAMAI_CHECK_DUMP=answers.json node check.mjs ...   then
       python3 schema_check.py answers.json <akamai-apis checkout>
Not run by .ci/run (the definitions are not in this repository); the result is recorded in the emulator's README.
"""
import json
import os
import re
import sys

import yaml

# (method, path regex, status) -> schema file under apis/papi/v1/schemas or apis/ccu/v3/schemas.
OPERATIONS = [
    ("GET", r"^/papi/v1/contracts$", 200, "papi", "contract-get-response.yaml"),
    ("GET", r"^/papi/v1/groups$", 200, "papi", "group-get-response.yaml"),
    ("GET", r"^/papi/v1/products\?", 200, "papi", "product-get-response.yaml"),
    ("POST", r"^/papi/v1/cpcodes\?", 201, "papi", "cpcode-post-response.yaml"),
    ("GET", r"^/papi/v1/cpcodes(/[^/?]+)?\?", 200, "papi", "cpcode-get-response.yaml"),
    ("GET", r"^/papi/v1/edgehostnames\?", 200, "papi", "edgehostname-get-response.yaml"),
    ("GET", r"^/papi/v1/properties\?", 200, "papi", "property-get-response.yaml"),
    ("GET", r"^/papi/v1/properties/[^/]+/versions(/latest)?\?", 200, "papi", "property-version-get-response.yaml"),
    ("GET", r"^/papi/v1/properties/[^/]+/activations\?", 200, "papi", "property-activation-get-response.yaml"),
    ("POST", r"^/papi/v1/edgehostnames\?", 201, "papi", "edgehostname-post-response.yaml"),
    ("GET", r"^/papi/v1/edgehostnames/[^/?]+\?", 200, "papi", "edgehostname-get-response.yaml"),
    ("POST", r"^/papi/v1/properties\?", 201, "papi", "property-create-response.yaml"),
    ("GET", r"^/papi/v1/properties/[^/?]+\?", 200, "papi", "property-get-response.yaml"),
    ("DELETE", r"^/papi/v1/properties/[^/?]+\?", 200, "papi", "property-delete-response.yaml"),
    ("POST", r"^/papi/v1/properties/[^/]+/versions\?", 201, "papi", "property-version-create-response.yaml"),
    ("GET", r"^/papi/v1/properties/[^/]+/versions/\d+\?", 200, "papi", "property-version-get-response.yaml"),
    ("GET", r"^/papi/v1/properties/[^/]+/versions/\d+/rules\?", 200, "papi", "property-version-rules-get-response.yaml"),
    ("PUT", r"^/papi/v1/properties/[^/]+/versions/\d+/rules\?", 200, "papi", "property-version-rules-get-response.yaml"),
    ("PUT", r"^/papi/v1/properties/[^/]+/versions/\d+/hostnames\?", 200, "papi", "property-version-hostnames-get-response.yaml"),
    ("GET", r"^/papi/v1/properties/[^/]+/versions/\d+/hostnames\?", 200, "papi", "property-version-hostnames-get-response.yaml"),
    ("POST", r"^/papi/v1/properties/[^/]+/activations\?", 201, "papi", "property-activation-post-response.yaml"),
    ("GET", r"^/papi/v1/properties/[^/]+/activations/[^/?]+(\?|$)", 200, "papi", "property-activation-get-response.yaml"),
    ("POST", r"^/papi/v1/search/find-by-value$", 200, "papi", "search-post-response.yaml"),
    ("POST", r"^/ccu/v3/", None, "ccu", "response.yaml"),
    ("*", r"^/papi/", "error", "papi", "problem.yaml"),
]

TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "object": dict, "array": list}


def load(path, cache={}):
    if path not in cache:
        with open(path, encoding="utf-8") as f:
            cache[path] = yaml.safe_load(f)
    return cache[path]


def resolve(schema, base):
    while isinstance(schema, dict) and "$ref" in schema:
        path = os.path.normpath(os.path.join(os.path.dirname(base), schema["$ref"].split("#")[0]))
        schema, base = load(path), path
    return schema, base


def check(value, schema, base, where, problems):
    schema, base = resolve(schema, base)
    if not isinstance(schema, dict):
        return
    for key in ("allOf",):
        for part in schema.get(key, []):
            check(value, part, base, where, problems)
    types = schema.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        if value is None:
            if "null" not in types and not schema.get("nullable"):
                problems.append(f"{where}: null, the schema says {types}")
            return
        ok = any(t != "null" and isinstance(value, TYPES[t]) and not (t in ("integer", "number") and isinstance(value, bool)) for t in types)
        if not ok:
            problems.append(f"{where}: {json.dumps(value)[:60]} is not {types}")
            return
    if "enum" in schema and value is not None and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{where}: required member '{name}' missing")
        for name, member in value.items():
            if name in props:
                check(member, props[name], base, f"{where}.{name}", problems)
            elif schema.get("additionalProperties") is False:
                problems.append(f"{where}: member '{name}' is not in the schema")
            elif isinstance(schema.get("additionalProperties"), dict):
                check(member, schema["additionalProperties"], base, f"{where}.{name}", problems)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            check(item, schema["items"], base, f"{where}[{i}]", problems)


def main():
    answers_file, apis = sys.argv[1], sys.argv[2]
    answers = json.load(open(answers_file, encoding="utf-8"))
    problems, checked = [], set()
    for a in answers:
        for method, pattern, status, api, schema_file in OPERATIONS:
            is_error = a["status"] >= 400
            if method not in ("*", a["method"]) or not re.search(pattern, a["path"]):
                continue
            if status == "error" and not is_error or status not in (None, "error") and status != a["status"]:
                continue
            if api == "papi" and is_error and status != "error":
                continue
            base = os.path.join(apis, "apis", "papi/v1" if api == "papi" else "ccu/v3", "schemas", schema_file)
            checked.add(schema_file)
            check(a["body"], load(base), base, f"{a['method']} {a['path']} {a['status']}", problems)
            break
        else:
            problems.append(f"{a['method']} {a['path']} {a['status']}: no schema mapped")
    for p in problems:
        print("MISMATCH", p)
    print(f"{len(answers)} answers, {len(checked)} schemas, {len(problems)} mismatches")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
