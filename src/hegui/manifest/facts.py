"""The manifest seen as facts: typed fact paths, and flat path -> value maps.

Rules read facts by path (`organisation.pi_individuals`, `listing.venue`). The
types come from the models themselves, so the schema and the rule checker can
never disagree about what a fact is. This is the one place that looks inside the
manifest models: questions, edit, batch and synth ask it which lists of records
there are, what a field holds, and which facts derive from others (derived.yaml).
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel

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
        nested = nested_model(field.annotation)   # a section (lists were handled above)
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
def all_fact_types() -> dict[str, Type]:
    """Every fact of every subject kind: path -> language type."""
    out: dict[str, Type] = {}
    for kind in SUBJECT_KINDS:
        out.update(fact_types(kind))
    return out


@lru_cache(maxsize=1)
def item_lists() -> dict[str, tuple[str, ...]]:
    """Every list of records in the models, with the fact paths of its items' fields:
    {"concentration.parties": ("concentration.parties.turnover_worldwide_rmb", ...)}."""
    facts = all_fact_types()
    return {path: tuple(f for f, t in facts.items() if t.within == path)
            for path, t in facts.items() if t.kind == "items"}


_ITEM = re.compile(r"^(?P<list>[a-z_][a-z0-9_.]*)\[(?P<index>\d+)\]\.(?P<field>[a-z_][a-z0-9_]*)$")


def split_item(path: str) -> tuple[str, int, str] | None:
    """concentration.parties[1].turnover_china_rmb -> ("concentration.parties", 1,
    "concentration.parties.turnover_china_rmb"); None for a path that names no item of a list of records."""
    m = _ITEM.match(path)
    if m is None or m["list"] not in item_lists():
        return None
    return m["list"], int(m["index"]), f"{m['list']}.{m['field']}"


def item_path(fact: str, index: int) -> str:
    """The field fact of one item: concentration.parties.x of the item at `index` -> concentration.parties[index].x."""
    items = all_fact_types()[fact].within
    return f"{items}[{index}]{fact[len(items):]}"


def nested_model(annotation) -> type[BaseModel] | None:
    """The model a field holds: a section (`X | None`) or the items of a list of records (`list[X] | None`)."""
    for arg in typing.get_args(annotation) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        if typing.get_origin(arg) is list:
            inner = typing.get_args(arg)[0]
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def model_field(generic: str):
    """The pydantic field behind a fact path without indices (organisation.china_nexus.revenue_share, ...)."""
    kind, *parts = generic.split(".")
    model, info = SUBJECT_MODELS.get(kind), None
    for part in parts:
        if model is None:
            return None
        info = model.model_fields.get(part)
        if info is None:
            return None
        model = nested_model(info.annotation)
    return info


def declared_values(generic: str) -> tuple[str, ...]:
    """The allowed values of a choice fact in the order its model declares them (the schema's order)."""
    info = model_field(generic)
    declared: list[str] = []

    def walk(annotation):
        for arg in typing.get_args(annotation) or ():
            if typing.get_origin(arg) is typing.Literal:
                declared.extend(a for a in typing.get_args(arg) if a not in declared)
            elif typing.get_args(arg):
                walk(arg)
    if info is not None:
        walk(info.annotation)
    return tuple(declared)


@dataclass(frozen=True)
class Derivation:
    """A fact worked out from another when a manifest leaves it out (derived.yaml, activities.yaml)."""
    fact: str                  # listing.venue_country
    source: str                # listing.venue
    table: dict                # source value -> derived value
    never: frozenset           # values the fact can never take


@dataclass(frozen=True)
class Area:
    """An area of activity (activities.yaml): its gate fact and what follows when it is declared absent."""
    code: str                  # online_games
    gate: str                  # organisation.activities.online_games
    label: dict                # {en, zh}
    entities: str | None       # the manifest list it is about (transfers), if any
    absent: dict               # detailed fact -> its value when the area is absent


def _data(name: str):
    # Our own tables, read with libyaml's C loader (ruamel's pure-Python one costs a process ~10 ms).
    text = resources.files("hegui.manifest").joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=1)
def areas() -> dict[str, Area]:
    """The areas of activity in the order they are asked."""
    out = {}
    for code, entry in _data("activities.yaml").items():
        absent = {fact: tuple(v) if isinstance(v, list) else v for fact, v in (entry.get("absent") or {}).items()}
        out[code] = Area(code, f"organisation.activities.{code}", entry["label"], entry.get("entities"), absent)
    return out


@lru_cache(maxsize=1)
def derivations() -> dict[str, Derivation]:
    out = {}
    for fact, entry in _data("derived.yaml").items():
        out[fact] = Derivation(fact, entry["from"], dict(_data(entry["table"])), frozenset(entry.get("never", ())))
    for area in areas().values():
        for fact, value in area.absent.items():
            if fact in out:
                raise ValueError(f"activities.yaml: {fact} already derives from {out[fact].source}")
            # Only a declared absence derives: an area carried on says nothing about its details.
            out[fact] = Derivation(fact, area.gate, {False: value}, frozenset())
    return out


def excluded_values(fact: str) -> frozenset:
    """Values a fact can never take (derived.yaml's never:), e.g. a listing's country is never CN."""
    d = derivations().get(fact)
    return d.never if d else frozenset()


def derive(own: dict, kind: str, context: dict | None = None) -> dict:
    """A subject's flat facts with each derivable fact of its kind it leaves out worked out from
    its source, read from its own facts or else from `context` (the organisation's, for a service)."""
    for d in _derivations_of(kind):
        if d.fact in own:
            continue
        source = own.get(d.source) if d.source in own else (context or {}).get(d.source)
        if source is not None:
            value = _lookup(d.table, source)
            if value is not None:
                own[d.fact] = value
    return own


@lru_cache(maxsize=None)
def _derivations_of(kind: str) -> tuple[Derivation, ...]:
    """The derivations of one kind of subject's facts (derive runs for every subject assessed)."""
    return tuple(d for d in derivations().values() if d.fact.startswith(kind + "."))


def _lookup(table: dict, value):
    """The table's value for a source value; True and 1 are different keys here, as in SQL."""
    for key, derived in table.items():
        if key == value and isinstance(key, bool) == isinstance(value, bool):
            return derived
    return None


@lru_cache(maxsize=1)
def number_measures() -> dict[str, str]:
    """For every number fact, what it measures: count (whole, >= 0), money (>= 0) or ratio (0 to 1)."""
    out = {}

    def walk(model, prefix):
        for name, field in model.model_fields.items():
            nested = nested_model(field.annotation)   # a section, or the items of a list of records
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
    org = derive(organisation_facts(manifest), "organisation")
    everyone, lists = [], {}
    for kind, attr in SUBJECT_LISTS.items():
        lists[attr] = []
        for entity in getattr(manifest, attr):
            own = derive(_flatten(entity, kind, {}), kind, org)
            lists[attr].append(own)
            everyone.append((kind, f"{kind}:{entity.id}", {**org, **own}))
    return [("organisation", "organisation", {**org, **lists})] + everyone
