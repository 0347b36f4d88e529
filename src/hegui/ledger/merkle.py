"""RFC 6962 (Certificate Transparency) Merkle trees: hashes, proofs and their verification.

leaf = SHA-256(0x00 || data); node = SHA-256(0x01 || left || right); the tree of n leaves
splits at k, the largest power of two below n (RFC 6962 §2.1). Proofs are built with the
RFC's PATH and SUBPROOF recursions (§2.1.1, §2.1.2) and checked with the verification
algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2. Hashes are bytes here; callers show them as hex.

No library is used: the one well-kept Python Merkle-tree package (pymerkle) is GPL-licensed
and keeps its own SQLite connection, so an entry and its leaf could not share a transaction.
"""

from __future__ import annotations

import hashlib

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: list[bytes]) -> bytes:
    """MTH over leaf hashes (not data)."""
    if not leaves:
        return EMPTY_ROOT
    frontier: list[bytes] = []
    for i, h in enumerate(leaves):
        frontier = push(frontier, i, h)
    return frontier_root(frontier)


def push(frontier: list[bytes], size: int, leaf: bytes) -> list[bytes]:
    """The frontier (roots of the perfect subtrees, largest first) after adding leaf to a tree of `size`."""
    frontier = list(frontier)
    h, n = leaf, size
    while n & 1:
        h = node_hash(frontier.pop(), h)
        n >>= 1
    frontier.append(h)
    return frontier


def frontier_root(frontier: list[bytes]) -> bytes:
    if not frontier:
        return EMPTY_ROOT
    h = frontier[-1]
    for left in reversed(frontier[:-1]):
        h = node_hash(left, h)
    return h


def inclusion_path(index: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1, over leaf hashes."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(f"leaf {index} is not in a tree of size {n}")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return inclusion_path(index, leaves[:k]) + [root(leaves[k:])]
    return inclusion_path(index - k, leaves[k:]) + [root(leaves[:k])]


def consistency_path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2: the tree of size m is a prefix of D[n]."""
    n = len(leaves)
    if not 0 <= m <= n:
        raise ValueError(f"size {m} is not within a tree of size {n}")
    if m == 0 or m == n:
        return []
    return _subproof(m, leaves, True)


def _subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [root(leaves)]
    k = _split(n)
    if m <= k:
        return _subproof(m, leaves[:k], whole) + [root(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [root(leaves[:k])]


def verify_inclusion(index: int, size: int, leaf: bytes, path: list[bytes], expected_root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       path: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2 (size 0 and equal sizes as RFC 9162 §2.1.4 describes)."""
    if first < 0 or second < first:
        return False
    if first == second:
        return not path and first_root == second_root
    if first == 0:
        return not path
    if not path:
        return False
    path = list(path)
    if first & (first - 1) == 0:  # a power of two: the first root is the proof's first node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
