"""The manifest's JSON Schema, generated from the same models that validate it."""

from __future__ import annotations

from hegui.manifest.model import Manifest


def manifest_schema() -> dict:
    schema = Manifest.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://hegui.dev/schema/manifest-hegui-1.json"
    schema["title"] = "hegui/1 manifest"
    schema["description"] = ("What an organisation declares about itself. Every fact is optional: "
                             "absent means unknown, never zero or false.")
    return schema
