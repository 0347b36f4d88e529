"""Commands about time: check (for CI), diff (between two dates), calendar (with an .ics export)."""

from __future__ import annotations


import click

from hegui.cli.base import DATE, as_of_option, cli, json_text, load, write_file

lang_option = click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                             show_default=True)


@cli.command()
@click.argument("manifest")
@as_of_option
@click.option("--strict", is_flag=True, help="Also fail on duties that are open (not yet done, not yet late).")
@lang_option
@format_option
def check(manifest, as_of, strict, lang, fmt):
    """Exit 3 when a duty that applies is overdue (with --strict: overdue or open); for CI pipelines."""
    from hegui.engine.check import FAILED_EXIT_CODE, failing
    result = load(manifest, as_of)
    found = failing(result.findings, strict)
    if fmt == "json":
        from hegui.report.command_json import check_dict
        click.echo(json_text(check_dict(result, strict, found)))
    else:
        from hegui.report.text_report import check_view, console
        console().print(check_view(result, strict, found, lang))
    if found:
        raise click.exceptions.Exit(FAILED_EXIT_CODE)


@cli.command()
@click.argument("manifest")
@click.option("--from", "start", type=DATE, required=True, help="The earlier date (YYYY-MM-DD).")
@click.option("--to", "end", type=DATE, required=True, help="The later date (YYYY-MM-DD).")
@lang_option
@format_option
def diff(manifest, start, end, lang, fmt):
    """Findings whose status, governing version, deadline or compliance differ between two dates, and why."""
    from hegui.cli.base import bad, with_manifest
    from hegui.engine.changes import diff as compute
    from hegui.report.changes import rule_change_text
    from hegui.report.i18n import t
    if end < start:
        bad(f"--to: expected a date on or after --from ({start}), got {end}")
    result = with_manifest(manifest, lambda m, name: compute(m, start, end, source=name))
    if fmt == "json":
        from hegui.report.command_json import diff_dict
        click.echo(json_text(diff_dict(result)))
        return
    from rich.console import Group
    from rich.text import Text
    from hegui.report.text_report import console, indented, title_of
    lines = [indented(t("diff.heading", lang, organisation=result.after.organisation, start=start, end=end), 0)]
    if not result.changes:
        lines.append(indented(t("diff.none", lang, start=start, end=end), 0))
    for c in result.changes:
        lines += [Text(""), indented(Text.assemble((c.obligation, "bold"), f"  {title_of(c.after, lang)}"), 2),
                  indented(c.subject)]
        lines += [indented(line) for line in _change_lines(c, lang)]
    lines += [Text(""), indented(t("diff.rule_changes", lang) if result.rule_changes else t("diff.no_rule_changes", lang), 0)]
    lines += [indented(f"{r.day}  {rule_change_text(r, lang)}", 2) for r in result.rule_changes]
    console().print(Group(*lines))


def _change_lines(c, lang):
    from hegui.report.changes import finding_change_lines, rule_change_text
    from hegui.report.i18n import t
    from hegui.report.text_report import HEADINGS_SHORT, compliance_text, label
    # English keeps the contract's status codes (applies, does_not_apply); other languages word them.
    status = (lambda s: s) if lang == "en" else (lambda s: label(HEADINGS_SHORT, s, lang))   # noqa: E731
    lines = finding_change_lines(c, lang, status, compliance_text)
    causes = [t("diff.because", lang, cause=f"{r.day} {rule_change_text(r, lang)}") for r in c.causes] + \
        [t("diff.because_record", lang, date=day) for day in c.done_on]
    lines += causes or [t("diff.because_time", lang)]
    return lines


@cli.command()
@click.argument("manifest")
@as_of_option
@click.option("--ics", "ics_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the deadlines as an iCalendar file (Outlook, Google Calendar, Apple Calendar).")
@lang_option
@format_option
def calendar(manifest, as_of, ics_path, lang, fmt):
    """Deadlines that need attention, and recurring duties with their next date."""
    from hegui.engine.schedule import schedule
    from hegui.report.calendar_ics import to_ics
    from hegui.report.command_json import calendar_dict
    from hegui.report.deadlines import basis_text
    from hegui.report.i18n import t
    from hegui.report.reasons import citation_text
    result = load(manifest, as_of)
    entries = schedule(result)
    if ics_path:
        write_file(ics_path, to_ics(entries, result, lang), "--ics", lang)
    if fmt == "json":
        click.echo(json_text(calendar_dict(result, entries, lang)))
    else:
        click.echo(t("calendar.heading", lang, organisation=result.organisation, as_of=result.as_of))
        if not entries:
            click.echo(t("calendar.none", lang))
        for e in entries:
            cycle = "" if not e.every_years else "  (" + (t("calendar.every_year", lang) if e.every_years == 1
                                                           else t("calendar.every_n_years", lang, n=e.every_years)) + ")"
            flag = f"  {t('calendar.overdue_since', lang, date=e.date)}" if e.overdue else ""
            title = e.title if lang == "en" else e.title_zh
            click.echo(f"  {e.shown_on}  {e.obligation}  {title}  {e.subject}{cycle}{flag}")
            click.echo("      " + t("calendar.line", lang, citation=citation_text(e.citation, lang),
                                        basis=basis_text(e.deadline, lang)))
    if ics_path:
        click.echo(t("calendar.written", lang, count=len(entries), path=ics_path), err=fmt == "json")
