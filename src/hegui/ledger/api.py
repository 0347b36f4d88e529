"""The ledger's read operations over HTTP, for mounting under /v1/ledger:

    app.include_router(router(Ledger(path)), prefix="/v1/ledger")

GET /head, /entries?offset=&limit=, /entries/{n}, /entries/{n}/proof?size=, /consistency/{a}/{b},
/verify; POST /verify with a signed head kept earlier checks the ledger against it. Nothing here
writes. Indexes and sizes are whole numbers from 0 to 2^63-1 (SQLite's integers): anything else
is a 422 naming the parameter; an entry or size the ledger does not have is a 404; a ledger found damaged while reading is a
503 (run `hegui ledger verify`). Verifying
opens the file read-only on its own connection (hegui.ledger.verify), so it never holds the
appenders' lock; the endpoints are plain functions, which FastAPI runs off the event loop.
"""

from __future__ import annotations

from fastapi import APIRouter, Body, HTTPException, Path, Query

from hegui.ledger.store import INDEX_LIMIT, Ledger, LedgerDamaged, LedgerError


def router(ledger) -> APIRouter:
    if not isinstance(ledger, Ledger):
        ledger = Ledger(ledger)
    r = APIRouter(tags=["ledger"])

    def _call(fn, *args):
        try:
            return fn(*args)
        except LedgerDamaged as e:  # not the client's doing: the server's ledger needs `hegui ledger verify`
            raise HTTPException(status_code=503, detail=str(e)) from None
        except LedgerError as e:
            raise HTTPException(status_code=404, detail=str(e)) from None

    @r.get("/head", summary="The current tree head: size and root hash")
    def head() -> dict:
        return _call(ledger.head).to_dict()

    @r.get("/entries", summary="Recorded assessments, oldest first")
    def entries(offset: int = Query(0, ge=0, lt=INDEX_LIMIT), limit: int = Query(100, ge=1, le=1000)) -> dict:
        items = _call(ledger.entries, offset, limit)
        return {"size": _call(ledger.size), "offset": offset, "entries": [e.summary() for e in items]}

    @r.get("/entries/{n}", summary="One recorded assessment in full")
    def entry(n: int = Path(ge=0, lt=INDEX_LIMIT, description="the entry's index")) -> dict:
        return _call(lambda: ledger.entry(n).to_dict())

    @r.get("/entries/{n}/proof", summary="Inclusion proof of entry n (RFC 6962 audit path)")
    def proof(n: int = Path(ge=0, lt=INDEX_LIMIT, description="the entry's index"),
              size: int | None = Query(None, ge=0, lt=INDEX_LIMIT,
                                       description="the tree size (default: the head)")) -> dict:
        return _call(ledger.inclusion_proof, n, size)

    @r.get("/consistency/{a}/{b}", summary="Consistency proof: the tree of size a is a prefix of size b")
    def consistency(a: int = Path(ge=0, lt=INDEX_LIMIT, description="the earlier tree size"),
                    b: int = Path(ge=0, lt=INDEX_LIMIT, description="the later tree size")) -> dict:
        return _call(ledger.consistency_proof, a, b)

    @r.get("/verify", summary="Recompute every hash, read-only; the first bad entry, if any")
    def verify() -> dict:
        from hegui.ledger.verify import check_file
        return check_file(ledger.path).to_dict()

    @r.post("/verify", summary="Verify, and check the ledger still extends a signed head kept earlier")
    def verify_against(signed: dict = Body(..., description="A signed head from `hegui ledger head --sign`")) -> dict:
        from hegui.ledger.verify import verify_against as check
        return check(ledger.path, signed).to_dict()

    return r
