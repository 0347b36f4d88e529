"""The ledger over HTTP (issue 14 §6): indexes and sizes beyond SQLite's integers, negative or not
whole, are a 422 naming the parameter (never a 500); an entry the ledger lacks is a 404; verify
reads the file read-only, and POST /verify checks a kept signed head."""

import pytest
from fastapi.testclient import TestClient
from ledger_support import fill

from hegui.api.app import create_app
from hegui.ledger import Head
from hegui.ledger.sign import keygen, sign_head
from hegui.ledger.verify import check_file

BIG = 2 ** 63  # one past SQLite's largest integer


@pytest.fixture(scope="module")
def served(tmp_path_factory, real):
    folder = tmp_path_factory.mktemp("api")
    path = folder / "api.ledger"
    fill(path, real, 3).close()
    key, _ = keygen(folder / "head.key")
    with TestClient(create_app(ledger_path=str(path)), raise_server_exceptions=False) as client:
        yield client, path, key


def _named(response) -> list[str]:
    """The parameter each error names (the app may prefix a path parameter with "path.")."""
    return [e["path"].split(".")[-1] for e in response.json()["errors"]]


@pytest.mark.parametrize("url, parameter", [
    (f"/v1/ledger/entries/{BIG}", "n"),
    (f"/v1/ledger/entries/{10 ** 30}", "n"),
    ("/v1/ledger/entries/-1", "n"),
    ("/v1/ledger/entries/1.5", "n"),
    (f"/v1/ledger/entries/{BIG}/proof", "n"),
    (f"/v1/ledger/entries/0/proof?size={BIG}", "size"),
    ("/v1/ledger/entries/0/proof?size=-2", "size"),
    (f"/v1/ledger/consistency/0/{BIG}", "b"),
    (f"/v1/ledger/consistency/{BIG}/1", "a"),
    (f"/v1/ledger/entries?offset={BIG}", "offset"),
    ("/v1/ledger/entries?offset=x", "offset"),
])
def test_out_of_range_parameters_are_422_naming_them(served, url, parameter):
    client, _, _ = served
    r = client.get(url)
    assert r.status_code == 422, (r.status_code, r.text)
    assert _named(r) == [parameter], r.text


@pytest.mark.parametrize("url", ["/v1/ledger/entries/3", f"/v1/ledger/entries/{BIG - 1}",
                                 f"/v1/ledger/entries/{BIG - 1}/proof", "/v1/ledger/entries/0/proof?size=4",
                                 f"/v1/ledger/consistency/2/{BIG - 1}", "/v1/ledger/consistency/3/2"])
def test_entries_and_sizes_the_ledger_lacks_are_404(served, url):
    client, _, _ = served
    r = client.get(url)
    assert r.status_code == 404, (r.status_code, r.text)


def test_an_offset_past_the_end_is_an_empty_page(served):
    client, _, _ = served
    r = client.get(f"/v1/ledger/entries?offset={BIG - 1}")
    assert r.status_code == 200 and r.json()["entries"] == [] and r.json()["size"] == 3


def test_verify_and_verify_against_a_kept_head(served):
    client, path, key = served
    r = client.get("/v1/ledger/verify").json()
    assert r["ok"] is True and r["size"] == 3
    signed = sign_head(check_file(path).head, key)
    r = client.post("/v1/ledger/verify", json=signed).json()
    assert r["ok"] is True and r["against"] == {"size": 3, "root": signed["root"]}
    forged = {**signed, "size": 2}
    r = client.post("/v1/ledger/verify", json=forged).json()
    assert r["ok"] is False and "signature does not verify" in r["message"]
    # A head the ledger never reached, signed: what a ledger truncated since looks like.
    r = client.post("/v1/ledger/verify", json=sign_head(Head(4, signed["root"]), key)).json()
    assert r["ok"] is False and "has 4 entries but the ledger only 3" in r["message"]
    r = client.post("/v1/ledger/verify", content=b"[1, 2]", headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_a_damaged_ledger_is_503_never_500(tmp_path, real):
    import sqlite3
    path = tmp_path / "damaged.ledger"
    fill(path, real, 2).close()
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER entries_no_update")
    con.execute("UPDATE entries SET manifest = '{bad' WHERE idx = 1")
    con.execute("UPDATE head SET size = 'two'")
    con.commit()
    con.close()
    with TestClient(create_app(ledger_path=str(path)), raise_server_exceptions=False) as client:
        for url in ("/v1/ledger/head", "/v1/ledger/entries", "/v1/ledger/entries/1", "/v1/ledger/entries/0/proof",
                    "/v1/ledger/consistency/0/1"):
            r = client.get(url)
            assert r.status_code == 503 and "hegui ledger verify" in r.text, (url, r.status_code, r.text)
        r = client.get("/v1/ledger/verify")
        assert r.status_code == 200 and r.json()["ok"] is False and "size 'two'" in r.json()["message"]
