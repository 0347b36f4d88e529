"""Commands about one date: assess, explain, rules, schema."""

from __future__ import annotations

import json

import click

from hegui.cli.base import DATE, as_of_option, bad, cli, load

lang_option = click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                           help="The language of the text view or report (JSON stays English).")


@cli.command()
@click.argument("manifest")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text",
              show_default=True, help="markdown and html give a self-contained report to send.")
@lang_option
@click.option("--record", is_flag=True, help="Also append this assessment to the ledger (see `hegui ledger`).")
@click.option("--ledger", "ledger_path", envvar="HEGUI_LEDGER", type=click.Path(dir_okay=False), default=None,
              help="With --record: the ledger file (default: $HEGUI_LEDGER).")
def assess(manifest, as_of, fmt, lang, record, ledger_path):
    """Decide every obligation for MANIFEST (a YAML or JSON file, or - for standard input)."""
    if record:
        from hegui.cli.ledger import assess_and_record
        result = assess_and_record(manifest, as_of, ledger_path)
    else:
        result = load(manifest, as_of)
    if fmt == "json":
        from hegui.report.json_report import render_json
        click.echo(render_json(result, lang=lang))
    elif fmt == "markdown":
        from hegui.report.markdown_report import render_markdown
        click.echo(render_markdown(result, lang), nl=False)
    elif fmt == "html":
        from hegui.report.html_report import render_html
        click.echo(render_html(result, lang), nl=False)
    else:
        from hegui.report.text_report import assessment_view, console
        console().print(assessment_view(result, lang))


@cli.command()
@click.argument("manifest")
@click.argument("obligation")
@click.option("--subject", default=None, help="organisation, or KIND:ID such as listing:nyse-ipo.")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def explain(manifest, obligation, subject, as_of, fmt, lang):
    """The full reasoning for one finding: the article, the values compared, the deadline count."""
    result = load(manifest, as_of)
    matches = [f for f in result.findings if f.obligation == obligation and (subject is None or f.subject == subject)]
    if not matches:
        _no_finding(result, obligation, subject)
    if len(matches) > 1:
        bad(f"--subject: {obligation} has several subjects here; name one of "
             f"{', '.join(f.subject for f in matches)}")
    if fmt == "json":
        from hegui.report.json_report import render_finding_json
        click.echo(render_finding_json(matches[0], lang=lang, rulebook=result.rulebook))
    else:
        from hegui.report.text_report import console, explain_view
        console().print(explain_view(matches[0], result.as_of, lang, rulebook=result.rulebook))


def _no_finding(result, obligation: str, subject: str | None):
    """Stop with what the reader mistyped: the obligation, or the subject (each with a did-you-mean)."""
    from hegui.manifest import did_you_mean
    from hegui.manifest.model import SUBJECT_LISTS
    if obligation not in result.rulebook.obligations:
        bad(f"OBLIGATION: no {obligation!r} in the rulebook"
            f"{did_you_mean(obligation, result.rulebook.obligations) or ' (see `hegui rules`)'}")
    subjects = sorted({f.subject for f in result.findings if f.obligation == obligation})
    if not subjects:
        kind = result.rulebook.obligations[obligation].subject
        bad(f"OBLIGATION: {obligation} is decided for each of the manifest's {SUBJECT_LISTS.get(kind, kind)}, "
            "and it lists none")
    bad(f"--subject: {subject!r} is not a subject of {obligation} here"
        f"{did_you_mean(subject, subjects) or '; expected one of ' + ', '.join(subjects)}")


@cli.command()
@click.option("--as-of", type=DATE, default=None, help="Show which version governs on this date.")
@click.option("--search", default=None, help="Only obligations whose id, title or instrument mention TEXT.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--changes", is_flag=True, help="List the rulebook's own changes between --from and --to instead.")
@click.option("--from", "start", type=DATE, default=None, help="With --changes: the earlier date.")
@click.option("--to", "end", type=DATE, default=None, help="With --changes: the later date.")
@lang_option
def rules(as_of, search, fmt, changes, start, end, lang):
    """The rulebook: every obligation with its instruments, in-force dates, versions and review status."""
    from hegui.report.text_report import console, rules_rows, rules_view
    from hegui.rulebook import default_rulebook
    if changes:
        return _rule_changes(start, end, fmt, lang)
    rulebook = default_rulebook()
    rows = rules_rows(rulebook, as_of, search)
    if fmt == "json":
        from hegui.cli.base import json_text
        from hegui.report.command_json import rules_dict
        click.echo(json_text(rules_dict(rulebook, rows)))
    else:
        console().print(rules_view(rows, rulebook, as_of, lang))


def _rule_changes(start, end, fmt, lang):
    """What takes effect, ends or changes value in the rulebook after --from and up to --to."""
    from hegui.cli.base import json_text
    from hegui.engine.changes import rule_changes
    if start is None or end is None:
        bad("--changes needs --from and --to (YYYY-MM-DD)")
    if end < start:
        bad(f"--to: expected a date on or after --from ({start}), got {end}")
    found = rule_changes(start, end)
    if fmt == "json":
        from hegui.report.command_json import rule_changes_dict
        click.echo(json_text(rule_changes_dict(start, end, found)))
        return
    from hegui.report.changes import rule_change_text
    from hegui.report.i18n import t
    click.echo(t("rules.changes", lang, start=start, end=end, count=len(found)))
    for c in found:
        click.echo(f"  {c.day}  {rule_change_text(c, lang)}")


@cli.command()
def schema():
    """The manifest's JSON Schema, for editors' completion and validation."""
    from hegui.manifest.schema import manifest_schema
    click.echo(json.dumps(manifest_schema(), ensure_ascii=False, indent=2))


