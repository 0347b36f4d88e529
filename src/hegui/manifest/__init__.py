"""Manifests: what an organisation declares about itself, validated, with unknowns kept unknown."""

from hegui.manifest.errors import InputError, Problem, did_you_mean
from hegui.manifest.load import lines_from, parse_manifest, read_manifest, read_text
from hegui.manifest.model import Manifest

__all__ = ["InputError", "Problem", "Manifest", "did_you_mean", "lines_from", "parse_manifest", "read_manifest",
           "read_text"]
