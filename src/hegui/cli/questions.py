"""Commands that ask: questions, interview."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import click

from hegui.cli.base import DATE, as_of_option, bad, cli, json_text, load  # noqa: F401  (DATE: see base)
from hegui.manifest.answers import BACK, QUIT, QUIT_WORDS, SKIP, WHY, BadAnswer, parse_answer
from hegui.manifest.edit import yaml_writer, dump, load_document, plain, set_value

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
        from hegui.report.command_json import questions_dict
        click.echo(json_text(questions_dict(result, found)))
        return
    if not found:
        click.echo(t("questions.none", lang))
        return
    undecided = {d for q in found for d in q.decides}
    dated = {d for q in found for d in q.dates}
    click.echo(t("questions.heading", lang, organisation=result.organisation, as_of=result.as_of,
                 count=len(found), findings=len(undecided)))
    if dated:
        click.echo(t("questions.heading_dates", lang, count=sum(1 for q in found if q.dates), findings=len(dated)))
    for n, q in enumerate(found, 1):
        click.echo("")
        click.echo(f"{n:>3}. {q.text}  [{about(q, lang)}]")
        click.echo(f"     {t('questions.answer', lang, kind=kind_text(q, lang))}")
        for line in options(q):
            click.echo(f"       {line}")
        if q.hint:
            click.echo(f"     {t('questions.hint', lang, hint=q.hint)}")
        if q.type == "activities":
            click.echo(f"     {t('questions.fill_each', lang, paths=', '.join(f'{q.path}.{v}' for v in q.values))}")
        else:
            click.echo(f"     {t('questions.fill', lang, path=q.path)}")
        for line in why(q, lang, "questions"):
            click.echo(f"     {line}")


def why(q, lang: str, prefix: str) -> list[str]:
    """The findings an answer decides, and those whose deadline it sets."""
    from hegui.report.i18n import t
    lines = []
    if q.decides:
        key = "questions.decides" if prefix == "questions" else "interview.why"
        lines.append(t(key, lang, count=len(q.decides), findings=", ".join(_finding(d) for d in q.decides)))
    if q.dates:
        key = "questions.dates" if prefix == "questions" else "interview.why_dates"
        lines.append(t(key, lang, count=len(q.dates), findings=", ".join(_finding(d) for d in q.dates)))
    return lines


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
    if q.type == "activities":
        return t("questions.type.activities", lang)
    return t(f"questions.type.{q.type}", lang)


def options(q) -> list[str]:
    """The multi-select's options, one a line: number, code and label."""
    return [f"{i:>2}) {v}: {label}" for i, (v, label) in enumerate(zip(q.values, q.labels), 1)]


def _numbered(values) -> str:
    return ", ".join(f"{i}) {v}" for i, v in enumerate(values, 1))


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

    from hegui.calendar.clock import today
    from hegui.engine import assess
    from hegui.engine.questions import questions as compute
    from hegui.manifest import InputError, Manifest, parse_manifest, read_manifest
    from hegui.report.i18n import t
    as_of = as_of or today()
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
        yaml = yaml_writer(None)

    from hegui.engine.questions import GROUP
    skipped: set[tuple[str, str]] = set()
    offered: set[str] = set()          # the kinds of entity already offered for adding
    answered = 0
    history: list = []                 # the state before each step, for `<`
    pending = None                     # after going back: the question to ask again
    model = Manifest.model_validate(plain(document))
    while True:
        result = assess(model, as_of)
        grouped = (GROUP, "organisation") not in skipped     # a skipped multi-select: ask gate by gate
        open_questions = [q for q in compute(result, lang, grouped=grouped) if (q.fact, q.subject) not in skipped]
        kind = _entity_to_offer(model, open_questions, offered)
        if kind is not None:
            before = (copy.deepcopy(document), set(skipped), answered, set(offered), None)
            offered.add(kind)
            added = _offer(kind, document, lang)
            if added is QUIT:
                click.echo(t("interview.stopped", lang, count=answered))
                break
            if added is BACK:
                if history:
                    document, skipped, answered, offered, pending = history.pop()
                    model = Manifest.model_validate(plain(document))
                    click.echo(t("interview.back", lang))
                else:
                    offered.discard(kind)
                    click.echo(t("interview.back_none", lang))
                continue
            if added:
                history.append(before)
                model = Manifest.model_validate(plain(document))
            continue
        if not open_questions:
            click.echo("")
            click.echo(t("interview.done_skipped", lang, count=len(skipped)) if skipped else t("interview.done", lang))
            break
        q = next((q for q in open_questions if (q.fact, q.subject) == pending), open_questions[0])
        pending = None
        click.echo("")
        click.echo(t("interview.progress", lang, n=answered + len(skipped) + 1, about=about(q, lang),
                     count=q.needed_by, left=len(open_questions)))
        click.echo(q.text)
        for line in options(q):
            click.echo(f"  {line}")
        if q.hint:
            click.echo(f"  {t('questions.hint', lang, hint=q.hint)}")
        value, checked = _ask(q, document, lang)
        if value is BACK:
            if not history:
                click.echo(t("interview.back_none", lang))
                pending = (q.fact, q.subject)
                continue
            document, skipped, answered, offered, pending = history.pop()
            model = Manifest.model_validate(plain(document))
            click.echo(t("interview.back", lang))
            continue
        if value is QUIT:
            click.echo(t("interview.stopped", lang, count=answered))
            break
        history.append((copy.deepcopy(document), set(skipped), answered, set(offered), (q.fact, q.subject)))
        if value is SKIP:
            skipped.add((q.fact, q.subject))
            click.echo(t("interview.skipped", lang))
            continue
        _set_answer(document, q, value)
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


def _set_answer(document, q, value) -> None:
    """An answer into the document: the multi-select of gates sets each gate fact."""
    for path, v in (value.items() if q.type == "activities" else [(q.path, value)]):
        set_value(document, path, v)


def _entity_to_offer(model, open_questions, offered: set) -> str | None:
    """The kind of entity to offer adding next, once gates are answered: a service when none is
    listed; a transfer or listing once its area of activity is declared carried on."""
    from hegui.manifest.facts import areas
    from hegui.manifest.model import SUBJECT_LISTS
    if open_questions and open_questions[0].gate:
        return None
    activities = model.organisation.activities
    for kind in ("service", "transfer", "listing"):
        if kind in offered:
            continue
        attr = SUBJECT_LISTS[kind]
        if kind == "service" and not model.services:
            return kind
        area = next((a for a in areas().values() if a.entities == attr), None)
        if area is not None and activities is not None and getattr(activities, area.code) is True:
            return kind
    return None


def _offer(kind: str, document, lang: str):
    """Ask for new entities of a kind by id until an empty answer: the ids added, or QUIT."""
    from ruamel.yaml.comments import CommentedMap

    from hegui.manifest.model import SUBJECT_LISTS
    from hegui.report.i18n import t
    attr = SUBJECT_LISTS[kind]
    added = []
    while True:
        entries = document.get(attr) or []
        used = [str(e.get("id")) for e in entries]
        click.echo("")
        answer = _read(t("interview.add_more" if entries else "interview.add", lang,
                         kind=t(f"interview.kind.{kind}", lang)))
        if answer is None or answer.strip().lower() in QUIT_WORDS:
            return QUIT
        word = answer.strip()
        if word.lower() in ("<", "back", "返回"):
            if not added:
                return BACK
            document[attr].pop()           # undo the entity just added
            if not document[attr]:
                del document[attr]
            added.pop()
            click.echo(t("interview.back", lang))
            continue
        if not word or word.lower() in ("s", "skip", "none", "n", "no", "跳过", "无", "没有", "否"):
            return added
        if not _ID.fullmatch(word) or word in used:
            click.echo(t("interview.bad.id", lang, used=", ".join(used) or "-"))
            continue
        entry = CommentedMap([("id", word)]) if isinstance(document, CommentedMap) else {"id": word}
        if document.get(attr):
            document[attr].append(entry)
        else:
            set_value(document, attr, [entry])
        added.append(word)
        click.echo(t("interview.added", lang, kind=t(f"interview.kind.{kind}", lang), id=word))


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


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
        if answer is None or answer.strip().lower() in QUIT_WORDS:
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
        if value is WHY:
            for line in why(q, lang, "interview"):
                click.echo(f"  {line}")
            if q.gate:
                click.echo(f"  {t('interview.why_gate', lang)}")
            continue
        if value is SKIP or value is QUIT or value is BACK:
            return value, None
        candidate = plain(document)
        _set_answer(candidate, q, value)
        try:
            return value, Manifest.model_validate(candidate)
        except ValidationError as e:
            problems = _problems(e, candidate, "manifest")
            click.echo(t("interview.bad.invalid", lang, problem="; ".join(f"{p.path}: {p.message}" for p in problems)))
