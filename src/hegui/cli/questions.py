"""Commands that ask: questions, interview."""

from __future__ import annotations

import re
from pathlib import Path

import click

from hegui.cli.base import DATE, as_of_option, bad, cli, json_text, load  # noqa: F401  (DATE: see base)
from hegui.manifest.answers import QUIT_WORDS, QUIT, SKIP, BadAnswer, parse_answer
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
    from hegui.manifest import InputError, Manifest, parse_manifest
    from hegui.report.i18n import t
    as_of = as_of or today()
    if manifest == "-":
        bad(t("interview.stdin", lang))
    target = out or (str(_completed_name(manifest)) if manifest else "interview.yaml")
    if not Path(target).resolve().parent.is_dir():
        bad(t("interview.no_folder", lang, path=target))
    if manifest:
        # Bad input stops here, before any question, naming the file, field and line.
        from hegui.cli.base import with_manifest
        with_manifest(manifest, lambda m, name: assess(m, as_of, source=name))
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
        if value is SKIP or value is QUIT:
            return value, None
        candidate = plain(document)
        set_value(candidate, q.path, value)
        try:
            return value, Manifest.model_validate(candidate)
        except ValidationError as e:
            problems = _problems(e, candidate, "manifest")
            click.echo(t("interview.bad.invalid", lang, problem="; ".join(f"{p.path}: {p.message}" for p in problems)))
