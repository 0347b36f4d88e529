"""The team workspace (issue 15): organisations, their manifests kept version by version, compliance
records with evidence, people with roles, and every change appended to a ledger with its actor.

A door beside `api` and `cli`: it uses manifest, rulebook, engine, report and ledger; `api` mounts
its router (routes.py) when `hegui serve --workspace URL` is given; `cli` calls store.py and
auth.py directly, never the API.

    from hegui.workspace.store import Workspace
    ws = Workspace("hegui.db")     # or Workspace("postgresql://user@host/db", "workspace.ledger")
"""
