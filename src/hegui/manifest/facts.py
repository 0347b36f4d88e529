"""The manifest seen as facts: typed fact paths, and flat path -> value maps.

Rules read facts by path (`organisation.pi_individuals`, `listing.venue`). The
types come from the models themselves, so the schema and the rule checker can
never disagree about what a fact is.
"""

from __future__ import annotations

import typing
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel
from ruamel.yaml import YAML

from hegui.lang.types import Type
from hegui.manifest.model import SUBJECT_LISTS, SUBJECT_MODELS, Manifest
from hegui.manifest.types import FactKind

SUBJECT_KINDS = tuple(SUBJECT_MODELS)


def _fact_kind(annotation) -> FactKind | None:
    for arg in typing.get_args(annotation) or (annotation,):
        if typing.get_origin(arg) is typing.Annotated:
            for meta in arg.__metadata__:
                if isinstance(meta, FactKind):
                    return meta
    return None


def _fact_type(annotation) -> Type | None:
    """The language type of a field, or None for fields that are not facts (lists, ids)."""
    for arg in typing.get_args(annotation) or (annotation,):
        if arg is type(None):
            continue
        if typing.get_origin(arg) is typing.Annotated:
            for meta in arg.__metadata__:
                if isinstance(meta, FactKind):
                    return Type(meta.kind)
            continue
        if typing.get_origin(arg) is typing.Literal:
            return Type("string", frozenset(typing.get_args(arg)))
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return None
    return None


def _list_of(annotation):
    """The item type of a `list[...] | None` annotation, or None."""
    for arg in typing.get_args(annotation) or (annotation,):
        if typing.get_origin(arg) is list:
            return typing.get_args(arg)[0]
    return None


def _model_facts(model: type[BaseModel], prefix: str, within: str | None = None) -> dict[str, Type]:
    out = {}
    for name, field in model.model_fields.items():
        item = _list_of(field.annotation)
        if item is not None:
            path = f"{prefix}.{name}"
            if isinstance(item, type) and issubclass(item, BaseModel):
                out[path] = Type("items", within=within)
                out.update(_model_facts(item, path, within=path))
            elif typing.get_origin(item) is typing.Literal:
                out[path] = Type("list", frozenset(typing.get_args(item)), within)
            continue
        nested = next((a for a in typing.get_args(field.annotation) or (field.annotation,)
                       if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if nested is not None:
            out.update(_model_facts(nested, f"{prefix}.{name}", within))
            continue
        t = _fact_type(field.annotation) if field.metadata == [] else _fact_type(
            typing.Annotated[(field.annotation, *field.metadata)])
        if t is not None:
            out[f"{prefix}.{name}"] = Type(t.kind, t.values, within) if within else t
    return out


@lru_cache(maxsize=None)
def fact_types(subject_kind: str) -> dict[str, Type]:
    """Every fact a rule about this kind of subject may read: the organisation's and its own."""
    facts = _model_facts(SUBJECT_MODELS["organisation"], "organisation")
    if subject_kind != "organisation":
        facts.update(_model_facts(SUBJECT_MODELS[subject_kind], subject_kind))
    return facts


@lru_cache(maxsize=1)
def number_measures() -> dict[str, str]:
    """For every number fact, what it measures: count (whole, >= 0), money (>= 0) or ratio (0 to 1)."""
    out = {}

    def walk(model, prefix):
        for name, field in model.model_fields.items():
            item = _list_of(field.annotation)
            if isinstance(item, type) and issubclass(item, BaseModel):
                walk(item, f"{prefix}.{name}")
                continue
            nested = next((a for a in typing.get_args(field.annotation) or (field.annotation,)
                           if isinstance(a, type) and issubclass(a, BaseModel)), None)
            if nested is not None:
                walk(nested, f"{prefix}.{name}")
                continue
            kind = _fact_kind(typing.Annotated[(field.annotation, *field.metadata)] if field.metadata
                              else field.annotation)
            if kind is not None and kind.measure:
                out[f"{prefix}.{name}"] = kind.measure

    for kind, model in SUBJECT_MODELS.items():
        walk(model, kind)
    return out


@lru_cache(maxsize=1)
def venue_countries() -> dict[str, str]:
    text = resources.files("hegui.manifest").joinpath("venues.yaml").read_text(encoding="utf-8")
    return dict(YAML(typ="safe").load(text))


def _flatten(model: BaseModel | None, prefix: str, out: dict) -> dict:
    if model is None:
        return out
    for name, value in model.__dict__.items():
        if value is None:
            continue
        path = f"{prefix}.{name}"
        if isinstance(value, BaseModel):
            _flatten(value, path, out)
        elif isinstance(value, list):
            # Records become a list of their own fact maps; plain values a tuple.
            out[path] = [_flatten(v, path, {}) for v in value] if value and isinstance(value[0], BaseModel) \
                else tuple(value)
        else:
            out[path] = value
    return out


def organisation_facts(manifest: Manifest) -> dict:
    return _flatten(manifest.organisation, "organisation", {})


def subjects(manifest: Manifest) -> list[tuple[str, str, dict]]:
    """(subject kind, subject name, facts) for every subject, the organisation first.

    The organisation's facts also hold each list of subjects under its manifest name (`services`:
    one map of its own facts per service), so an organisation rule can count over them. The lists
    are complete: a manifest lists every service, transfer, listing and concentration it has.
    """
    org = organisation_facts(manifest)
    everyone, lists = [], {}
    for kind, attr in SUBJECT_LISTS.items():
        lists[attr] = []
        for entity in getattr(manifest, attr):
            own = _flatten(entity, kind, {})
            if kind == "listing" and "listing.venue_country" not in own and "listing.venue" in own:
                country = venue_countries().get(own["listing.venue"])
                if country:
                    own["listing.venue_country"] = country
            lists[attr].append(own)
            everyone.append((kind, f"{kind}:{entity.id}", {**org, **own}))
    return [("organisation", "organisation", {**org, **lists})] + everyone
