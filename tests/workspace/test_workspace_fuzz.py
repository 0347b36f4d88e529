"""The workspace's endpoints against their own OpenAPI description (schemathesis): whatever a
client sends, as an administrator with a token, no answer is a server error.

Bounded for CI: a few examples per operation, derandomized, no deadline.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from hegui.api import create_app
from hegui.workspace import auth
from hegui.workspace.store import Actor, Workspace
from workspace_support import JOBS

_folder = Path(tempfile.mkdtemp(prefix="hegui-ws-fuzz-"))
_ws = Workspace(str(_folder / "w.db"), max_evidence_bytes=2_000)
atexit.register(shutil.rmtree, _folder, ignore_errors=True)   # the schema is read at import, so no fixture
atexit.register(_ws.close)
_admin = _ws.create_user("admin@example.com", "a long enough password", is_admin=True)
_actor = Actor(_admin.id, _admin.email, True, "token")
_ws.import_text(JOBS.read_text(encoding="utf-8"), _actor)
_ws.set_member(1, _admin.email, "admin")
# Two tokens: the fuzzer may revoke token 1, never the one it calls with.
auth.create_token(_ws, _actor, "to be fuzzed")
HEADERS = {"Authorization": f"Bearer {auth.create_token(_ws, _actor, 'fuzzer')['token']}"}

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(workspace=_ws)).include(
    path_regex="^/v1/workspace")


@schema.parametrize()
@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_request_is_a_server_error(case):
    case.call_and_validate(headers=HEADERS, checks=[not_a_server_error])
