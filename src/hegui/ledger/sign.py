"""Ed25519-signed tree heads, so a head can be published and checked elsewhere.

A signed head is JSON: {"format", "size", "root", "timestamp", "key_id", "public_key", "signature"};
the signature covers the canonical JSON of format, size, root and timestamp, made with the key
whose raw bytes are `public_key`; `key_id` names that key in short (the first 16 hex digits of
the SHA-256 of its raw bytes, as `keygen` prints it) and must match it. Keys are PEM files
(PKCS#8 private key, mode 0600; the public key beside it as KEYFILE.pub).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hegui.ledger.store import FORMAT, Head, LedgerError, canonical_json


def keygen(path, force: bool = False) -> tuple[Path, Path]:
    """Write a new private key to PATH and its public key to PATH.pub."""
    path = Path(path)
    pub = path.with_name(path.name + ".pub")
    for p in (path, pub):
        if p.exists() and not force:
            raise LedgerError(f"{p} exists; refusing to overwrite a key (use --force)")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    pub.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo))
    return path, pub


def _load_private(path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as e:
        raise LedgerError(f"{path}: not a readable Ed25519 private key ({e})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LedgerError(f"{path}: not an Ed25519 private key")
    return key


def load_public(path) -> Ed25519PublicKey:
    try:
        data = Path(path).read_bytes()
        key = serialization.load_pem_public_key(data)
    except (OSError, ValueError, TypeError) as e:
        raise LedgerError(f"{path}: not a readable Ed25519 public key ({e})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise LedgerError(f"{path}: not an Ed25519 public key")
    return key


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """A short name of a public key: the first 16 hex digits of the SHA-256 of its raw bytes."""
    return hashlib.sha256(_raw(key)).hexdigest()[:16]


def _message(size: int, root: str, timestamp: str) -> bytes:
    return canonical_json({"format": FORMAT, "size": size, "root": root, "timestamp": timestamp}).encode("utf-8")


def sign_head(head: Head, key_path, timestamp: str | None = None) -> dict:
    key = _load_private(key_path)
    timestamp = timestamp or datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds") \
        .replace("+00:00", "Z")
    signature = key.sign(_message(head.size, head.root, timestamp))
    return {"format": FORMAT, "size": head.size, "root": head.root, "timestamp": timestamp,
            "key_id": key_id(key.public_key()), "public_key": base64.b64encode(_raw(key.public_key())).decode(),
            "signature": base64.b64encode(signature).decode()}


def verify_signed_head(signed: dict, public_key: Ed25519PublicKey | None = None) -> Head:
    """Check the signature (against `public_key` when given, which must be the head's key); the head."""
    if not isinstance(signed, dict) or "signature" not in signed:
        raise LedgerError("signed head: not signed (make a head to keep with `hegui ledger head --sign KEY`)")
    try:
        size, root, timestamp = signed["size"], signed["root"], signed["timestamp"]
        if type(size) is not int or size < 0 or not isinstance(root, str) or not isinstance(timestamp, str):
            raise ValueError("size must be a count, root and timestamp text")
        embedded = base64.b64decode(signed["public_key"], validate=True)
        signature = base64.b64decode(signed["signature"], validate=True)
        if signed.get("format") != FORMAT:
            raise LedgerError(f"signed head: format {signed.get('format')!r}, expected {FORMAT!r}")
    except (KeyError, TypeError, ValueError) as e:
        raise LedgerError(f"signed head: not a signed tree head ({e})") from None
    if public_key is not None and _raw(public_key) != embedded:
        raise LedgerError("signed head: signed by a different key than the one given")
    try:
        key = Ed25519PublicKey.from_public_bytes(embedded)
        key.verify(signature, _message(size, root, timestamp))
    except (InvalidSignature, ValueError):
        raise LedgerError("signed head: the signature does not verify") from None
    if "key_id" in signed and signed["key_id"] != key_id(key):
        raise LedgerError(f"signed head: key id {signed['key_id']!r} is not the id of its key ({key_id(key)})")
    return Head(size, root)
