"""RFC 6962 hashing and proofs against the Certificate Transparency test vectors, and against a
verifier written here, separately from the prover (hegui.ledger.merkle).

Vectors: the 8 test leaves and the root after each, the audit paths and the consistency proofs
of the CT reference implementation's Merkle tree tests (certificate-transparency,
cpp/merkletree/merkle_tree_test.cc), as carried on in transparency-dev/merkle
(testonly/constants.go). Their leaf indexes are 1-based there and 0-based here.
"""

import hashlib
import os

import pytest

from hegui.ledger import merkle

LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
INCLUSION = [  # (0-based leaf index, tree size, audit path)
    (0, 1, []),
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
CONSISTENCY = [  # (first size, second size, proof)
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]


# -- an independent verifier, from RFC 6962 §2.1's definitions (not hegui's code) ------------

def _h(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def _k(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root_from_inclusion(index, size, leaf, path):
    """Walk PATH(m, D[n]) back up: its last hash is the sibling at the top split."""
    path = list(path)
    if size == 1:
        if path:
            raise ValueError("path too long")
        return leaf
    if not path:
        raise ValueError("path too short")
    sibling = path.pop()
    k = _k(size)
    if index < k:
        return _h(b"\x01", root_from_inclusion(index, k, leaf, path), sibling)
    return _h(b"\x01", sibling, root_from_inclusion(index - k, size - k, leaf, path))


def roots_from_consistency(m, n, first_root, proof):
    """Rebuild (MTH(D[0:m]), MTH(D[0:n])) from SUBPROOF(m, D[n], true), consuming it from the end."""
    proof = list(proof)

    def sub(m, n, whole):
        if m == n:
            if whole:
                return first_root, first_root
            h = proof.pop()
            return h, h
        k = _k(n)
        if not proof:
            raise ValueError("proof too short")
        if m <= k:
            right = proof.pop()
            old, new = sub(m, k, whole)
            return old, _h(b"\x01", new, right)
        left = proof.pop()
        old, new = sub(m - k, n - k, False)
        return _h(b"\x01", left, old), _h(b"\x01", left, new)

    old, new = sub(m, n, True)
    if proof:
        raise ValueError("proof too long")
    return old, new


def independent_inclusion_ok(index, size, leaf, path, root):
    try:
        return root_from_inclusion(index, size, leaf, path) == root
    except (ValueError, IndexError):
        return False


def independent_consistency_ok(m, n, first_root, second_root, proof):
    if m == n:
        return not proof and first_root == second_root
    try:
        return roots_from_consistency(m, n, first_root, proof) == (first_root, second_root)
    except (ValueError, IndexError):
        return False


# -- the vectors --------------------------------------------------------------------------------

HASHES = [merkle.leaf_hash(x) for x in LEAVES]


def test_hash_prefixes():
    assert merkle.leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


def test_ct_roots():
    assert merkle.root([]).hex() == EMPTY
    for n in range(1, 9):
        assert merkle.root(HASHES[:n]).hex() == ROOTS[n - 1], n


def test_frontier_gives_the_same_roots():
    frontier = []
    for n, h in enumerate(HASHES):
        frontier = merkle.push(frontier, n, h)
        assert merkle.frontier_root(frontier).hex() == ROOTS[n]


@pytest.mark.parametrize("index,size,path", INCLUSION)
def test_ct_inclusion_vectors(index, size, path):
    assert [h.hex() for h in merkle.inclusion_path(index, HASHES[:size])] == path
    args = (index, size, HASHES[index], [bytes.fromhex(h) for h in path], bytes.fromhex(ROOTS[size - 1]))
    assert merkle.verify_inclusion(*args)
    assert independent_inclusion_ok(*args)


@pytest.mark.parametrize("m,n,proof", CONSISTENCY)
def test_ct_consistency_vectors(m, n, proof):
    assert [h.hex() for h in merkle.consistency_path(m, HASHES[:n])] == proof
    args = (m, n, bytes.fromhex(ROOTS[m - 1]), bytes.fromhex(ROOTS[n - 1]), [bytes.fromhex(h) for h in proof])
    assert merkle.verify_consistency(*args)
    assert independent_consistency_ok(*args)


def test_every_proof_up_to_33_leaves_checks_both_ways():
    hashes = [merkle.leaf_hash(os.urandom(7)) for _ in range(33)]
    for n in range(1, 34):
        root = merkle.root(hashes[:n])
        for i in range(n):
            path = merkle.inclusion_path(i, hashes[:n])
            assert independent_inclusion_ok(i, n, hashes[i], path, root)
            assert merkle.verify_inclusion(i, n, hashes[i], path, root)
        for m in range(1, n + 1):
            proof = merkle.consistency_path(m, hashes[:n])
            first = merkle.root(hashes[:m])
            assert independent_consistency_ok(m, n, first, root, proof), (m, n)
            assert merkle.verify_consistency(m, n, first, root, proof)


def test_mutated_proofs_fail():
    root = bytes.fromhex(ROOTS[7])
    path = [bytes.fromhex(h) for h in INCLUSION[2][2]]
    assert not merkle.verify_inclusion(4, 8, HASHES[5], path, root)  # wrong index
    assert not merkle.verify_inclusion(5, 16, HASHES[5], path, root)  # wrong size
    assert not merkle.verify_inclusion(5, 8, HASHES[4], path, root)  # wrong leaf
    assert not merkle.verify_inclusion(5, 8, HASHES[5], path[:-1], root)  # short
    assert not merkle.verify_inclusion(5, 8, HASHES[5], path + [root], root)  # long
    for i in range(len(path)):
        bad = list(path)
        bad[i] = bytes([bad[i][0] ^ 8]) + bad[i][1:]
        assert not merkle.verify_inclusion(5, 8, HASHES[5], bad, root)
        assert not independent_inclusion_ok(5, 8, HASHES[5], bad, root)
    proof = [bytes.fromhex(h) for h in CONSISTENCY[2][2]]
    first, second = bytes.fromhex(ROOTS[5]), bytes.fromhex(ROOTS[7])
    assert not merkle.verify_consistency(5, 8, first, second, proof)
    assert not merkle.verify_consistency(6, 8, second, first, proof)
    assert not merkle.verify_consistency(6, 8, first, second, proof[:-1])
    assert not merkle.verify_consistency(6, 8, first, second, [])
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = bytes([bad[i][0] ^ 16]) + bad[i][1:]
        assert not merkle.verify_consistency(6, 8, first, second, bad)
        assert not independent_consistency_ok(6, 8, first, second, bad)


def test_a_consistency_proof_holds_exactly_when_the_kept_tree_is_a_prefix():
    """Brute force over every pair of sizes up to 12 and every leaf changed in the kept tree: the proof
    built from the current tree checks the kept root if and only if the change lies after the kept size."""
    hashes = [merkle.leaf_hash(bytes([i])) for i in range(12)]
    forged = merkle.leaf_hash(b"forged")
    for n in range(1, 13):
        second = merkle.root(hashes[:n])
        for m in range(n + 1):
            proof = merkle.consistency_path(m, hashes[:n])
            assert merkle.verify_consistency(m, n, merkle.root(hashes[:m]), second, proof)
            for j in range(n):
                kept = hashes[:j] + [forged] + hashes[j + 1:n]
                ok = merkle.verify_consistency(m, n, merkle.root(kept[:m]), second, proof)
                assert ok == (j >= m or m == 0), (m, n, j)


def test_packed_leaves_give_the_same_proofs_as_a_list():
    """verify --against builds its proof over leaf hashes packed in one bytes object."""
    from hegui.ledger.verify import _Leaves
    hashes = [merkle.leaf_hash(os.urandom(5)) for _ in range(21)]
    packed = _Leaves(b"".join(hashes))
    assert len(packed) == 21 and list(packed) == hashes and list(packed[3:9]) == hashes[3:9]
    for m in range(22):
        assert merkle.consistency_path(m, packed) == merkle.consistency_path(m, hashes)
    assert merkle.root(packed) == merkle.root(hashes)
