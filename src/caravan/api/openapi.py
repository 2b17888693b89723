"""The committed OpenAPI document: written by `make openapi`, checked by the tests."""

from __future__ import annotations

import json
from pathlib import Path

from .api import api

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.json"


def render_schema() -> str:
    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schema() -> Path:
    SCHEMA_PATH.write_text(render_schema(), encoding="utf-8")
    return SCHEMA_PATH
