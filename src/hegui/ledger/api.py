"""The ledger's read operations over HTTP, for mounting under /v1/ledger:

    app.include_router(router(Ledger(path)), prefix="/v1/ledger")

GET /head, /entries?offset=&limit=, /entries/{n}, /entries/{n}/proof?size=, /consistency/{a}/{b},
/verify. Nothing here writes. A request for an entry or size the ledger does not have is a 404.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query

from hegui.ledger.store import Ledger, LedgerError


def router(ledger) -> APIRouter:
    if not isinstance(ledger, Ledger):
        ledger = Ledger(ledger)
    r = APIRouter(tags=["ledger"])

    def _call(fn, *args):
        try:
            return fn(*args)
        except LedgerError as e:
            raise HTTPException(status_code=404, detail=str(e)) from None

    @r.get("/head", summary="The current tree head: size and root hash")
    def head() -> dict:
        return _call(ledger.head).to_dict()

    @r.get("/entries", summary="Recorded assessments, oldest first")
    def entries(offset: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000)) -> dict:
        items = _call(ledger.entries, offset, limit)
        return {"size": ledger.size(), "offset": offset, "entries": [e.summary() for e in items]}

    @r.get("/entries/{n}", summary="One recorded assessment in full")
    def entry(n: int) -> dict:
        return _call(ledger.entry, n).to_dict()

    @r.get("/entries/{n}/proof", summary="Inclusion proof of entry n (RFC 6962 audit path)")
    def proof(n: int, size: int | None = Query(None, ge=0)) -> dict:
        return _call(ledger.inclusion_proof, n, size)

    @r.get("/consistency/{a}/{b}", summary="Consistency proof: the tree of size a is a prefix of size b")
    def consistency(a: int, b: int) -> dict:
        return _call(ledger.consistency_proof, a, b)

    @r.get("/verify", summary="Recompute every hash; the first bad entry, if any")
    def verify() -> dict:
        bad = ledger.verify()
        out = {"ok": bad is None, "bad": bad.to_dict() if bad else None, "message": str(bad) if bad else None}
        if bad is None:
            out.update(ledger.head().to_dict())
        return out

    return r
