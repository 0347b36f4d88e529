"""hegui ledger: the tamper-evident record of assessments.

`hegui assess MANIFEST --record` appends; these commands read, prove, verify and replay.
Exit codes: 0 ran (and verified), 2 bad input (no ledger, no such entry), 4 the ledger does
not verify (alone or against a kept head), is found damaged while reading, a proof does not
check, or a replay under the same rulebook differs. Only `assess --record` writes the ledger:
these commands open it read-only.
"""

from __future__ import annotations

from pathlib import Path

import click

from hegui.cli.base import bad, cli, json_text, with_manifest

FAILED = 4

ledger_option = click.option("--ledger", "ledger_path", envvar="HEGUI_LEDGER", type=click.Path(dir_okay=False),
                             default=None, help="The ledger file (default: $HEGUI_LEDGER).")
format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                             show_default=True)


def _path(ledger_path) -> str:
    if not ledger_path:
        bad("--ledger: no ledger given; pass --ledger PATH or set HEGUI_LEDGER")
    return ledger_path


def open_ledger(ledger_path, create: bool = False):
    """The ledger to append to (`create`: made if absent), or else to read: opened read-only."""
    from hegui.ledger import Ledger, LedgerError
    path = _path(ledger_path)
    if not create and not Path(path).exists():
        bad(f"--ledger: no ledger at {path}")
    try:
        return Ledger(path, read_only=not create)
    except LedgerError as e:
        bad(f"--ledger: {e}")


def assess_and_record(manifest_source: str, as_of, ledger_path):
    """What `assess --record` runs: read and assess the manifest, then append it to the ledger."""
    from hegui.calendar.clock import today
    from hegui.engine import assess
    from hegui.ledger import record
    _path(ledger_path)
    manifest, result = with_manifest(manifest_source, lambda m, name: (m, assess(m, as_of or today(), source=name)))
    with open_ledger(ledger_path, create=True) as ledger:
        n = _guard(record, ledger, manifest, result)
        head = ledger.head()
    click.echo(f"hegui: recorded as ledger entry {n} in {ledger_path} (size {head.size}, root {head.root})",
               err=True)
    return result


def _guard(fn, *args):
    """fn(*args); a ledger error is bad input (exit 2), damage found while reading is exit 4."""
    from hegui.ledger import LedgerDamaged, LedgerError
    try:
        return fn(*args)
    except LedgerDamaged as e:
        click.echo(f"hegui: {e}", err=True)
        raise click.exceptions.Exit(FAILED) from None
    except LedgerError as e:
        bad(str(e))


@cli.group()
def ledger():
    """The tamper-evident ledger of assessments recorded with `hegui assess --record`."""


@ledger.command("list")
@ledger_option
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--limit", type=click.IntRange(min=1), default=None)
@format_option
def list_(ledger_path, offset, limit, fmt):
    """Every entry: index, time recorded, as-of date, organisation, rulebook, findings by status."""
    with open_ledger(ledger_path) as ledger:
        items = _guard(ledger.entries, offset, limit)
        head = _guard(ledger.head)
    if fmt == "json":
        click.echo(json_text({"head": head.to_dict(), "entries": [e.summary() for e in items]}))
        return
    click.echo(f"ledger {ledger_path}: {head.size} entries, root {head.root}")
    for e in items:
        s = e.summary()
        counts = " ".join(f"{k} {v}" for k, v in sorted(s["findings"].items()))
        click.echo(f"  {e.index:>4}  {e.recorded_at}  as of {e.as_of}  {e.organisation}  "
                   f"rulebook {e.rulebook_version}  {counts}")


@ledger.command()
@click.argument("n", type=int)
@ledger_option
@format_option
def show(n, ledger_path, fmt):
    """One entry: what was assessed, when, under which rulebook, the findings and the digests."""
    with open_ledger(ledger_path) as ledger:
        e = _guard(ledger.entry, n)
    if fmt == "json":
        click.echo(json_text(_guard(e.to_dict)))
        return
    a = _guard(e.assessment_dict)
    click.echo(f"entry {e.index}  recorded {e.recorded_at}")
    click.echo(f"organisation: {e.organisation}   as of: {e.as_of}")
    click.echo(f"rulebook: {e.rulebook_version}  {e.rulebook_digest}")
    click.echo(f"manifest digest:   {e.manifest_digest}")
    click.echo(f"findings digest:   {e.findings_digest}")
    click.echo(f"assessment digest: {e.assessment_digest}")
    click.echo(f"leaf hash: {e.leaf_hash}")
    click.echo(f"tree root after this entry: {e.tree_root}")
    click.echo(f"findings ({len(a.get('findings', []))}):")
    for f in a.get("findings", []):
        due = (f.get("deadline") or {}).get("date") or ""
        click.echo(f"  {f['status']:<15} {f['obligation']}  {f['subject']}  {f.get('compliance') or ''}  {due}"
                   .rstrip())


@ledger.command()
@click.argument("n", type=int)
@ledger_option
@click.option("--size", type=click.IntRange(min=1), default=None, help="Against the tree of this size "
              "(default: the current head).")
@format_option
def prove(n, ledger_path, size, fmt):
    """An inclusion proof (RFC 6962 audit path) that entry N is in the tree, checked before it is shown."""
    from hegui.ledger import merkle
    with open_ledger(ledger_path) as ledger:
        proof = _guard(ledger.inclusion_proof, n, size)
    ok = merkle.verify_inclusion(proof["index"], proof["size"], bytes.fromhex(proof["leaf_hash"]),
                                 [bytes.fromhex(h) for h in proof["path"]], bytes.fromhex(proof["root"]))
    if fmt == "json":
        click.echo(json_text({**proof, "verified": ok}))
    else:
        click.echo(f"entry {n} in the tree of size {proof['size']}, root {proof['root']}")
        click.echo(f"leaf hash: {proof['leaf_hash']}")
        click.echo(f"audit path ({len(proof['path'])} hashes):")
        for h in proof["path"]:
            click.echo(f"  {h}")
        click.echo("verified: the path leads from the leaf to the root" if ok else "NOT VERIFIED")
    if not ok:
        raise click.exceptions.Exit(FAILED)


@ledger.command()
@click.argument("a", type=click.IntRange(min=0))
@click.argument("b", type=click.IntRange(min=0))
@ledger_option
@format_option
def consistency(a, b, ledger_path, fmt):
    """A proof that the tree of size A is a prefix of the tree of size B (nothing before A changed)."""
    from hegui.ledger import merkle
    with open_ledger(ledger_path) as ledger:
        proof = _guard(ledger.consistency_proof, a, b)
    ok = merkle.verify_consistency(a, b, bytes.fromhex(proof["first_root"]), bytes.fromhex(proof["second_root"]),
                                   [bytes.fromhex(h) for h in proof["path"]])
    if fmt == "json":
        click.echo(json_text({**proof, "verified": ok}))
    else:
        click.echo(f"size {a}: root {proof['first_root']}")
        click.echo(f"size {b}: root {proof['second_root']}")
        click.echo(f"consistency proof ({len(proof['path'])} hashes):")
        for h in proof["path"]:
            click.echo(f"  {h}")
        click.echo(f"verified: the tree of size {a} is a prefix of the tree of size {b}" if ok else "NOT VERIFIED")
    if not ok:
        raise click.exceptions.Exit(FAILED)


@ledger.command()
@ledger_option
@click.option("--against", "--head", "head_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A signed tree head kept earlier (`hegui ledger head --sign`): also check that the ledger "
                   "still extends it (an RFC 6962 consistency proof), which catches truncation and rewrites.")
@click.option("--pubkey", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The public key that must have signed --against (KEYFILE.pub).")
@format_option
def verify(ledger_path, head_file, pubkey, fmt):
    """Recompute every digest, leaf hash and root and the head, read-only; exit 4 naming the first problem.

    Alone this proves the ledger is consistent with itself; with --against, that nothing recorded
    up to the kept head was removed or rewritten since.
    """
    from hegui.ledger.sign import load_public
    from hegui.ledger.verify import check_file, read_head_file, verify_against
    if not Path(_path(ledger_path)).exists():
        bad(f"--ledger: no ledger at {ledger_path}")
    if head_file:
        signed = _guard(read_head_file, head_file)
        key = _guard(load_public, pubkey) if pubkey else None
        result = verify_against(ledger_path, signed, key)
    else:
        result = check_file(ledger_path)
    if fmt == "json":
        click.echo(json_text(result.to_dict()))
    if result.bad is not None:
        where = f" against {head_file}" if head_file else ""
        click.echo(f"hegui: ledger {ledger_path} does not verify{where}: {result.bad}", err=True)
        raise click.exceptions.Exit(FAILED)
    if fmt == "json":
        return
    click.echo(f"ledger {ledger_path} verifies: {result.head.size} entries, root {result.head.root}")
    if head_file:
        who = "the given key" if pubkey else "the key inside the head (pass --pubkey to know whose)"
        click.echo(f"signed head {head_file} (size {result.against.size}, signed by {who}) is consistent "
                   "with the ledger: a consistency proof from it to the current tree checks")


@ledger.command()
@click.argument("n", type=int)
@ledger_option
@format_option
def replay(n, ledger_path, fmt):
    """Assess entry N's manifest again on its as-of date; identical under the same rulebook, or what changed."""
    from hegui.ledger.replay import replay as run
    with open_ledger(ledger_path) as ledger:
        e = _guard(ledger.entry, n)
    r = run(e)
    if fmt == "json":
        click.echo(json_text(r.to_dict()))
    else:
        click.echo(f"entry {n}: {e.organisation} as of {e.as_of}")
        click.echo(f"recorded under rulebook {e.rulebook_version} {e.rulebook_digest}")
        click.echo(f"replayed under rulebook {r.rulebook_version} {r.rulebook_digest}"
                   + (" (the same)" if r.same_rulebook else " (changed since)"))
        if r.identical:
            # An entry of the older scheme holds a digest of its whole findings, prose included;
            # what replay reproduces is the decisions, so the line says that.
            click.echo(f"identical: every decision is reproduced (recorded digest {e.findings_digest})")
        else:
            click.echo(("NOT REPRODUCED: the same rulebook gives different findings"
                        if r.same_rulebook else "the current rulebook decides differently")
                       + f" ({len(r.differences)} findings differ):")
            for d in r.differences:
                click.echo(f"  {d['obligation']}  {d['subject']}: {', '.join(d['changed'])}")
                for k in (d.get("before") or {}):
                    if k in ("status", "compliance", "deadline"):
                        click.echo(f"      {k}: {_short(d['before'].get(k))} -> {_short((d.get('after') or {}).get(k))}")
    if not r.reproduced:
        raise click.exceptions.Exit(FAILED)


def _short(value):
    if isinstance(value, dict) and "date" in value:
        return value["date"] or "-"
    return "-" if value is None else value


@ledger.command()
@ledger_option
@click.option("--sign", "key_file", envvar="HEGUI_LEDGER_KEY", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Sign the head with this Ed25519 private key (from `hegui ledger keygen`; "
                                 "default: $HEGUI_LEDGER_KEY).")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Also write the (signed) head to this file, to keep elsewhere or publish.")
def head(ledger_path, key_file, out):
    """The current tree head (size and root) as JSON; with --sign, verified first and signed to keep.

    A signed head kept away from the ledger (or published) is what `hegui ledger verify --against`
    checks later: it catches a ledger truncated or rewritten since.
    """
    from hegui.ledger.sign import sign_head
    from hegui.ledger.verify import check_file
    if key_file:
        if not Path(_path(ledger_path)).exists():
            bad(f"--ledger: no ledger at {ledger_path}")
        result = check_file(ledger_path)
        if result.bad is not None:
            click.echo(f"hegui: refusing to sign: ledger {ledger_path} does not verify: {result.bad}", err=True)
            raise click.exceptions.Exit(FAILED)
        value = _guard(sign_head, result.head, key_file)  # the head of the very snapshot verified
    else:
        with open_ledger(ledger_path) as ledger:
            value = _guard(ledger.head).to_dict()
    text = json_text(value)
    if out:
        _write(out, text + "\n")
    click.echo(text)


def _write(out: str, text: str) -> None:
    """Write `text` to `out` whole or not at all (a temporary file beside it, renamed)."""
    import os
    import tempfile
    target = Path(out)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        bad(f"--out: cannot write {out} ({e.strerror})")


@ledger.command()
@click.argument("keyfile", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing key.")
def keygen(keyfile, force):
    """Make an Ed25519 key pair for signing tree heads: KEYFILE (private, 0600) and KEYFILE.pub."""
    from hegui.ledger.sign import keygen as make
    from hegui.ledger.sign import key_id, load_public
    private, public = _guard(make, keyfile, force)
    click.echo(f"private key: {private} (keep it secret)\npublic key:  {public} (publish it with signed heads)\n"
               f"key id:      {key_id(load_public(public))}")
