"""Commands that ask: questions, interview."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import click

from hegui.cli.base import DATE, as_of_option, bad, cli, json_text, load  # noqa: F401  (DATE: see base)

lang_option = click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)


@cli.command()
@click.argument("manifest")
@as_of_option
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def questions(manifest, as_of, lang, fmt):
    """The missing facts that would decide `unknown` findings, most decisive first, with where to fill them."""
    from hegui.engine.questions import questions as compute
    from hegui.report.i18n import t
    result = load(manifest, as_of)
    found = compute(result, lang)
    if fmt == "json":
        click.echo(json_text({"as_of": result.as_of, "organisation": result.organisation,
                              "questions": [q.as_dict() for q in found]}))
        return
    if not found:
        click.echo(t("questions.none", lang))
        return
    undecided = {d for q in found for d in q.decides}
    click.echo(t("questions.heading", lang, organisation=result.organisation, as_of=result.as_of,
                 count=len(found), findings=len(undecided)))
    for n, q in enumerate(found, 1):
        click.echo("")
        click.echo(f"{n:>3}. {q.text}  [{about(q, lang)}]")
        click.echo(f"     {t('questions.answer', lang, kind=kind_text(q, lang))}")
        if q.hint:
            click.echo(f"     {t('questions.hint', lang, hint=q.hint)}")
        click.echo(f"     {t('questions.fill', lang, path=q.path)}")
        click.echo(f"     {t('questions.decides', lang, count=len(q.decides), findings=', '.join(_finding(d) for d in q.decides))}")


def _finding(decided) -> str:
    obligation, subject = decided
    return obligation if subject == "organisation" else f"{obligation} ({subject})"


def about(q, lang: str) -> str:
    """What the question is about: the subject, and the list item for a party's fact."""
    from hegui.report.i18n import t
    m = re.search(r"\[(\d+)\]", q.fact)
    if not m:
        return q.subject
    n = int(m.group(1)) + 1
    return t("questions.item_named", lang, subject=q.subject, n=n, name=q.item) if q.item else \
        t("questions.item", lang, subject=q.subject, n=n)


def kind_text(q, lang: str) -> str:
    """The kind of answer expected, in words."""
    from hegui.report.i18n import t
    if q.type == "number":
        return t(f"questions.type.{q.unit}", lang)
    if q.type in ("choice", "choices"):
        return t(f"questions.type.{q.type}", lang, values=_numbered(q.values))
    return t(f"questions.type.{q.type}", lang)


def _numbered(values) -> str:
    return ", ".join(f"{i}) {v}" for i, v in enumerate(values, 1))


# --- answers ---------------------------------------------------------------------------------

SKIP, QUIT = object(), object()
_SKIP_WORDS = {"s", "skip", "跳过"}
_QUIT_WORDS = {"q", "quit", "exit", "退出"}
_YES = {"y", "yes", "true", "是", "对"}
_NO = {"n", "no", "false", "否", "不"}


class BadAnswer(ValueError):
    """An answer that does not fit the question: `key` names its interview.bad.* message."""

    def __init__(self, key: str, **fields):
        super().__init__(key)
        self.key, self.fields = key, fields


def parse_answer(q, text: str):
    """The manifest value of a typed answer; SKIP or QUIT for s and q; BadAnswer if it does not fit."""
    answer = text.strip()
    if answer.lower() in _SKIP_WORDS:
        return SKIP
    if answer.lower() in _QUIT_WORDS:
        return QUIT
    if not answer:
        raise BadAnswer("empty")
    kind = q.unit if q.type == "number" else q.type
    return _PARSERS[kind](answer, q)


def _bool(answer, q):
    word = answer.lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise BadAnswer("bool")


def _decimal(answer: str, key: str) -> Decimal:
    cleaned = re.sub(r"[\s,_，]", "", answer)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise BadAnswer(key) from None
    if not value.is_finite() or value < 0:
        raise BadAnswer(key)
    return value


def _count(answer, q):
    value = _decimal(answer, "count")
    if value != value.to_integral_value() or "." in answer or "e" in answer.lower():
        raise BadAnswer("count")
    return int(value)


def _money(answer, q):
    value = _decimal(answer, "money")
    return int(value) if value == value.to_integral_value() else float(value)


def _ratio(answer, q):
    percent = answer.endswith("%")
    value = _decimal(answer.rstrip("%"), "ratio")
    if percent:
        value = value / 100
    if value > 1:
        raise BadAnswer("ratio")
    return int(value) if value in (0, 1) and not percent and "." not in answer else float(value)


def _date(answer, q):
    try:
        if len(answer) == 10:
            return datetime.date.fromisoformat(answer)
    except ValueError:
        pass
    raise BadAnswer("date")


def _pick(word: str, values) -> str | None:
    word = word.strip()
    if word.isdigit() and 1 <= int(word) <= len(values):
        return values[int(word) - 1]
    return next((v for v in values if v == word.lower()), None)


def _choice(answer, q):
    picked = _pick(answer, q.values)
    if picked is None:
        raise BadAnswer("choice", values=", ".join(q.values))
    return picked


def _choices(answer, q):
    words = [w for w in re.split(r"[,，、\s]+", answer) if w]
    picked = [_pick(w, q.values) for w in words]
    if not picked or None in picked:
        raise BadAnswer("choices", values=", ".join(q.values))
    return list(dict.fromkeys(picked))


def _country(answer, q):
    import pycountry
    code = answer.upper()
    if len(code) == 2 and code.isalpha() and pycountry.countries.get(alpha_2=code):
        return code
    raise BadAnswer("country")


def _text(answer, q):
    code = answer.upper()
    if re.fullmatch(r"[A-Z][A-Z0-9]*", code):
        return code
    raise BadAnswer("text")


def _items(answer, q):
    names = [n.strip() for n in re.split(r"[,，、]", answer) if n.strip()]
    if not names:
        raise BadAnswer("items")
    return [{"name": n} for n in names]


_PARSERS = {"bool": _bool, "count": _count, "money": _money, "ratio": _ratio, "date": _date,
            "choice": _choice, "choices": _choices, "country": _country, "text": _text, "items": _items}


# --- the manifest document -------------------------------------------------------------------

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def path_parts(path: str) -> list:
    """services[0].public_opinion_attributes -> ['services', 0, 'public_opinion_attributes']."""
    return [name if name else int(index) for name, index in _TOKEN.findall(path)]


def set_value(document, path: str, value) -> None:
    """Set the value at a manifest path in a plain or round-trip document, creating sections on the way.

    New keys go where the schema puts them among the keys already there, so a completed file
    reads in the usual order; comments and blank lines stay with the keys they follow.
    """
    from hegui.manifest.model import Manifest
    parts = path_parts(path)
    node, model = document, Manifest
    for i, part in enumerate(parts[:-1]):
        if isinstance(part, int):
            node = node[part]
            continue
        if node.get(part) is None:
            # A section not there yet (organisation.credit): add it whole, with the value inside.
            for name in reversed(parts[i + 1:]):
                value = {name: value}
            _put(node, part, _node(document, value), model)
            return
        node = node[part]
        model = _field_model(model, part)
    _put(node, parts[-1], _node(document, value), model)


def _field_model(model, name):
    from hegui.engine.questions import _nested
    info = model.model_fields.get(name) if model is not None else None
    return _nested(info.annotation) if info is not None else None


def _node(document, value):
    """Round-trip nodes for new lists and mappings (block style) in a round-trip document."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    if not isinstance(document, CommentedMap):
        return value
    if isinstance(value, list):
        seq = CommentedSeq(_node(document, v) for v in value)
        if all(not isinstance(v, dict) for v in value):
            seq.fa.set_flow_style()        # content: [news, finance]
        return seq
    if isinstance(value, dict):
        return CommentedMap((k, _node(document, v)) for k, v in value.items())
    return value


def _put(mapping, key, value, model) -> None:
    from ruamel.yaml.comments import CommentedMap
    if key in mapping or not isinstance(mapping, CommentedMap):
        mapping[key] = value
        return
    order = list(model.model_fields) if model is not None else []
    rank = {name: i for i, name in enumerate(order)}
    keys = list(mapping)
    position = len(keys)
    if key in rank:
        after = [i for i, k in enumerate(keys) if rank.get(k, -1) < rank[key]]
        position = (max(after) + 1) if after else 0
        # keys the schema does not know stay where they are; insert after the last known predecessor
    _insert(mapping, position, key, value)


def _deepest(mapping, key):
    """The innermost last key under mapping[key]: where ruamel keeps the comments that follow it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    while True:
        value = mapping[key]
        if isinstance(value, CommentedMap) and len(value):
            mapping, key = value, list(value)[-1]
        elif isinstance(value, CommentedSeq) and len(value) and isinstance(value[-1], CommentedMap) \
                and len(value[-1]):
            mapping, key = value[-1], list(value[-1])[-1]
        else:
            return mapping, key


def _insert(mapping, position: int, key, value) -> None:
    """Insert a key, moving the blank lines and comments that followed the key before it below it.

    ruamel keeps the lines after a key (a blank line, a comment heading the next key) with the
    innermost last key before them, so a new key would otherwise land after them.
    """
    from ruamel.yaml.tokens import CommentToken
    last = list(mapping)[position - 1] if position > 0 else None
    mapping.insert(position, key, value)
    if last is None:
        return
    holder, held = _deepest(mapping, last)
    slot = holder.ca.items.get(held)
    if not slot or len(slot) < 3 or slot[2] is None:
        return
    token = slot[2]
    first, _, rest = token.value.partition("\n")
    if not rest:
        return
    if first.strip():
        token.value = first + "\n"
    else:
        slot[2] = None
    new_holder, new_held = _deepest(mapping, key)
    new_holder.ca.items[new_held] = [None, None, CommentToken("\n" + rest, token.start_mark, None), None]


@lru_cache(maxsize=1)
def _dates_constructor():
    """A round-trip constructor that reads dates as dates, so they are written back as written.

    The manifest loader reads timestamps as text (to report an impossible date with its line),
    and ruamel registers constructors on the class; this subclass keeps its own table.
    """
    from ruamel.yaml.constructor import RoundTripConstructor

    class DatesConstructor(RoundTripConstructor):
        pass
    DatesConstructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_timestamp)
    return DatesConstructor


def _yaml_writer(text: str | None):
    """A round-trip YAML with the indentation the file already uses."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent
    yaml = YAML(typ="rt")
    yaml.Constructor = _dates_constructor()
    yaml.width = 4096
    yaml.brace_single_entry_mapping_in_flow_sequence = True    # transfers: [{id: t}] stays as written
    mapping, sequence, offset = 2, 4, 2
    if text:
        _, sequence, offset = load_yaml_guess_indent(text)
        sequence, offset = sequence or 2, offset or 0
        m = re.search(r"^organisation:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*([ \t]+)\S", text, re.MULTILINE)
        if m:
            mapping = len(m.group(1))
        sequence = max(sequence, offset + 2)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def load_document(path: str):
    """The manifest file as a round-trip document (comments and order kept; JSON becomes block YAML)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    text = Path(path).read_text(encoding="utf-8")
    yaml = _yaml_writer(text)
    document = yaml.load(text)

    def block(node):
        if isinstance(node, (CommentedMap, CommentedSeq)):
            items = node.values() if isinstance(node, CommentedMap) else node
            if isinstance(node, CommentedMap) or any(isinstance(v, (CommentedMap, CommentedSeq)) for v in items):
                node.fa.set_block_style()
            for v in (node.values() if isinstance(node, CommentedMap) else node):
                block(v)
    if text.lstrip().startswith("{"):
        block(document)
        yaml = _yaml_writer(None)
    return document, yaml


def dump(document, yaml) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def plain(document):
    """The document as plain Python values, for validation."""
    from hegui.manifest.load import _plain
    return _plain(document)


# --- the interview ---------------------------------------------------------------------------

@cli.command()
@click.argument("manifest", required=False)
@as_of_option
@lang_option
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None,
              help="Where to write the completed manifest (default: MANIFEST.completed.yaml, or interview.yaml).")
def interview(manifest, as_of, lang, out):
    """Ask, one at a time, the missing facts that would decide `unknown` findings; save the completed manifest.

    Without MANIFEST, start a new one from the organisation's name.
    """
    from ruamel.yaml.comments import CommentedMap

    from hegui.cli.base import _today
    from hegui.engine import assess
    from hegui.engine.questions import questions as compute
    from hegui.manifest import InputError, Manifest, parse_manifest, read_manifest
    from hegui.report.i18n import t
    as_of = as_of or _today()
    if manifest == "-":
        bad(t("interview.stdin", lang))
    target = out or (str(_completed_name(manifest)) if manifest else "interview.yaml")
    if not Path(target).resolve().parent.is_dir():
        bad(t("interview.no_folder", lang, path=target))
    if manifest:
        # Bad input stops here, before any question, naming the file, field and line.
        assess(read_manifest(manifest), as_of, source=manifest)
        document, yaml = load_document(manifest)
        click.echo(t("interview.intro", lang))
    else:
        click.echo(t("interview.intro", lang))
        click.echo(t("interview.scratch", lang))
        name = _ask_name(lang)
        if name is None:
            click.echo(t("interview.nothing_saved", lang))
            return
        document = CommentedMap([("format", "hegui/1"), ("organisation", CommentedMap([("name", name)]))])
        yaml = _yaml_writer(None)

    skipped: set[tuple[str, str]] = set()
    answered = 0
    model = Manifest.model_validate(plain(document))
    while True:
        result = assess(model, as_of)
        open_questions = [q for q in compute(result, lang) if (q.fact, q.subject) not in skipped]
        if not open_questions:
            click.echo("")
            click.echo(t("interview.done_skipped", lang, count=len(skipped)) if skipped else t("interview.done", lang))
            break
        q = open_questions[0]
        click.echo("")
        click.echo(t("interview.progress", lang, n=answered + len(skipped) + 1, about=about(q, lang),
                     count=len(q.decides), left=len(open_questions)))
        click.echo(q.text)
        if q.hint:
            click.echo(f"  {t('questions.hint', lang, hint=q.hint)}")
        value, checked = _ask(q, document, lang)
        if value is QUIT:
            click.echo(t("interview.stopped", lang, count=answered))
            break
        if value is SKIP:
            skipped.add((q.fact, q.subject))
            click.echo(t("interview.skipped", lang))
            continue
        set_value(document, q.path, value)
        model = checked
        answered += 1

    text = dump(document, yaml)
    # Read back exactly as `hegui assess` will read the file; every answer was checked before it was
    # set, so a problem here is a bug (exit 1), and nothing is written.
    try:
        final = parse_manifest(text, target)
    except InputError as e:
        raise RuntimeError(f"the completed manifest does not load: {e}") from None
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as e:
        bad(t("interview.cannot_write", lang, path=target, problem=e.strerror))
    click.echo("")
    click.echo(t("interview.saved", lang, path=target))
    from hegui.report.text_report import assessment_view, console
    result = assess(final, as_of)
    console().print(_view(assessment_view, result, lang))


def _view(view, result, lang):
    """The assessment view, in the language when the view takes one."""
    import inspect
    if "lang" in inspect.signature(view).parameters:
        return view(result, lang=lang)
    return view(result)


def _completed_name(manifest: str) -> Path:
    path = Path(manifest)
    stem = path.stem if path.suffix.lower() in (".yaml", ".yml", ".json") else path.name
    return path.with_name(f"{stem}.completed.yaml")


def _read(prompt: str) -> str | None:
    """One line from the terminal; None at end of input. Ctrl-C aborts (nothing is written)."""
    try:
        return input(prompt)
    except EOFError:
        click.echo("")
        return None
    except KeyboardInterrupt:
        click.echo("")
        raise click.exceptions.Abort() from None


def _ask_name(lang: str) -> str | None:
    from hegui.report.i18n import t
    while True:
        answer = _read(t("interview.name", lang))
        if answer is None or answer.strip().lower() in _QUIT_WORDS:
            return None
        if answer.strip():
            return answer.strip()
        click.echo(t("interview.bad.empty", lang))


def _ask(q, document, lang: str):
    """Ask until the answer fits the question and the manifest accepts it: (value, validated manifest)."""
    from pydantic import ValidationError

    from hegui.manifest import Manifest
    from hegui.manifest.load import _problems
    from hegui.report.i18n import t
    prompt = t("interview.prompt", lang, kind=kind_text(q, lang))
    while True:
        answer = _read(prompt)
        if answer is None:
            return QUIT, None
        try:
            value = parse_answer(q, answer)
        except BadAnswer as e:
            click.echo(t(f"interview.bad.{e.key}", lang, **e.fields))
            continue
        if value is SKIP or value is QUIT:
            return value, None
        candidate = plain(document)
        set_value(candidate, q.path, value)
        try:
            return value, Manifest.model_validate(candidate)
        except ValidationError as e:
            problems = _problems(e, candidate, "manifest")
            click.echo(t("interview.bad.invalid", lang, problem="; ".join(f"{p.path}: {p.message}" for p in problems)))
