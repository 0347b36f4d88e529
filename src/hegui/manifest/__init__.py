"""Manifests: what an organisation declares about itself, validated, with unknowns kept unknown."""

from hegui.manifest.errors import InputError, Problem
from hegui.manifest.load import parse_manifest, read_manifest
from hegui.manifest.model import Manifest

__all__ = ["InputError", "Problem", "Manifest", "parse_manifest", "read_manifest"]
