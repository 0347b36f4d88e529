"""The ledger's proofs, checked by the verifier in test_ledger_merkle (written from RFC 6962,
separately from hegui's prover), and the stored roots against a recomputation from the entries."""

import hashlib

import pytest
from test_ledger_merkle import independent_consistency_ok, independent_inclusion_ok

from hegui.ledger import LedgerError
from hegui.ledger.store import leaf_data
from ledger_support import fill


def _leaf_from_entry(e):
    """The leaf hash recomputed from the entry's columns, as an auditor holding the entry would."""
    data = leaf_data(e.index, e.recorded_at, e.as_of, e.manifest, e.rulebook_version, e.rulebook_digest,
                     e.manifest_digest, e.assessment_digest, e.findings_digest)
    return hashlib.sha256(b"\x00" + data).digest()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory, real):
    ledger = fill(tmp_path_factory.mktemp("proofs") / "p.ledger", real, 13)
    yield ledger
    ledger.close()


def test_inclusion_proofs_verify_independently(ledger):
    for size in range(1, 14):
        root = bytes.fromhex(ledger.root_at(size))
        for n in range(size):
            p = ledger.inclusion_proof(n, size)
            assert p["root"] == root.hex()
            leaf = _leaf_from_entry(ledger.entry(n))
            assert leaf.hex() == p["leaf_hash"]
            assert independent_inclusion_ok(n, size, leaf, [bytes.fromhex(h) for h in p["path"]], root)


def test_default_size_is_the_head(ledger):
    p = ledger.inclusion_proof(4)
    assert (p["size"], p["root"]) == (ledger.head().size, ledger.head().root)


def test_consistency_proofs_verify_independently(ledger):
    for b in range(1, 14):
        for a in range(1, b + 1):
            p = ledger.consistency_proof(a, b)
            assert p["first_root"] == ledger.root_at(a) and p["second_root"] == ledger.root_at(b)
            assert independent_consistency_ok(a, b, bytes.fromhex(p["first_root"]), bytes.fromhex(p["second_root"]),
                                              [bytes.fromhex(h) for h in p["path"]]), (a, b)


def test_a_proof_for_another_entry_does_not_verify(ledger):
    p = ledger.inclusion_proof(3)
    other = _leaf_from_entry(ledger.entry(4))
    assert not independent_inclusion_ok(3, p["size"], other, [bytes.fromhex(h) for h in p["path"]],
                                        bytes.fromhex(p["root"]))


@pytest.mark.parametrize("call", [lambda l: l.inclusion_proof(13), lambda l: l.inclusion_proof(0, 14),
                                  lambda l: l.consistency_proof(5, 14), lambda l: l.consistency_proof(6, 5),
                                  lambda l: l.entry(13), lambda l: l.inclusion_proof(-1)])
def test_out_of_range_is_an_error(ledger, call):
    with pytest.raises(LedgerError):
        call(ledger)
