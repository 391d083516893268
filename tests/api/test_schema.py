"""The API v1 contract, pinned: every operation (path, method, operationId, tags, security,
answers, body media types) and every schema's fields, against tests/data/openapi-v1.json.

Descriptions and titles are left out, so rewording a docstring needs no update. A change here
breaks the clients generated from openapi.json (the deputies' app, the mini-program): when it
is intended, regenerate the snapshot and commit it with the change:

    LIANLUO_UPDATE_OPENAPI=1 .venv/bin/pytest tests/api/test_schema.py
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any

from lianluo.api import api as api_v1_module
from lianluo.api.api import api as api_v1

SNAPSHOT = Path(__file__).parents[1] / "data" / "openapi-v1.json"
PROSE = {"description", "title", "summary"}


def _without_prose(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_prose(v) for k, v in node.items() if k not in PROSE}
    if isinstance(node, list):
        return [_without_prose(v) for v in node]
    return node


def contract() -> dict[str, Any]:
    schema = api_v1.get_openapi_schema(path_prefix="/api/v1/")
    operations = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            operations.append(
                {
                    "path": path,
                    "method": method,
                    "operationId": op["operationId"],
                    "tags": op.get("tags", []),
                    "security": sorted(name for s in op.get("security", []) for name in s),
                    "parameters": _without_prose(op.get("parameters", [])),
                    "requestBody": sorted(op.get("requestBody", {}).get("content", {})),
                    "responses": _without_prose(op["responses"]),
                }
            )
    pinned = {
        "operations": operations,
        "schemas": _without_prose(schema["components"]["schemas"]),
        "securitySchemes": schema["components"].get("securitySchemes", {}),
    }
    return json.loads(json.dumps(pinned))  # as served: status codes become string keys


def test_the_openapi_contract_is_the_committed_one():
    # given the API as the code builds it
    current = contract()
    if os.environ.get("LIANLUO_UPDATE_OPENAPI"):
        SNAPSHOT.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n")
    # when it is compared with the committed contract
    pinned = json.loads(SNAPSHOT.read_text())
    # then nothing a client relies on has moved
    ids = [(o["method"].upper(), o["path"], o["operationId"]) for o in current["operations"]]
    pinned_ids = [(o["method"].upper(), o["path"], o["operationId"]) for o in pinned["operations"]]
    assert ids == pinned_ids, (
        "API v1 operations (method, path, operationId, in order) changed: "
        f"added {sorted(set(ids) - set(pinned_ids))}, gone {sorted(set(pinned_ids) - set(ids))}. "
        "If intended, run: LIANLUO_UPDATE_OPENAPI=1 .venv/bin/pytest tests/api/test_schema.py"
    )
    assert current == pinned, (
        "The API v1 contract (tests/data/openapi-v1.json) changed: compare with `git diff` after "
        "regenerating it. If intended, run: "
        "LIANLUO_UPDATE_OPENAPI=1 .venv/bin/pytest tests/api/test_schema.py and commit the file."
    )


def test_routers_import_only_common_from_the_api_package():
    # given the modules of lianluo.api, their imports read from the source (inside functions too)
    package = Path(api_v1_module.__file__).parent
    wrong = []
    for module in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            # then only api.py (which assembles) imports the routers; the rest import common
            for name in names:
                if not name.startswith("lianluo.api.") or module.name == "api.py":
                    continue
                if name.split(".")[2] != "common":
                    wrong.append(f"{module.name} imports {name}")
    assert wrong == [], "A router imports another API module than lianluo.api.common: " + str(
        sorted(set(wrong))
    )
