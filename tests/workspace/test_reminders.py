"""Reminders (workspace/reminders.py): the calendar feed read back by icalendar, feed tokens, and
the digest e-mail sent to real SMTP servers on loopback (aiosmtpd: plain, STARTTLS with a login,
and TLS from the start), each started once for the module."""

from __future__ import annotations

import datetime
import email
import email.policy
import hashlib
import ipaddress
import ssl
from pathlib import Path

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from icalendar import Calendar

from hegui.manifest.model import Manifest
from hegui.report.i18n import t
from hegui.rulebook import default_rulebook
from hegui.workspace.dashboard import OrganisationState, dashboard
from hegui.workspace.reminders import DigestError, digest_message, feed_ics, parse_smtp_url, send_digest
from serving import free_port

ROOT = Path(__file__).resolve().parents[2]
D = datetime.date
AS_OF = D(2026, 12, 3)
OFFICER = "pipl.pi-protection-officer"


def manifest(name: str) -> Manifest:
    # As in test_dashboard.py: the officer is due on 2026-12-07 (30 working days after 2026-10-26),
    # the standard contract filing fell due on 2026-10-26 (10 working days after 2026-10-12).
    data = yaml.safe_load((ROOT / "examples" / "jobs-platform.yaml").read_text(encoding="utf-8"))
    data["organisation"].update({"name": name, "pi_individuals_1m_reached_on": "2026-10-26"})
    data["transfers"][0]["mechanism_effective_on"] = "2026-10-12"
    return Manifest.model_validate(data)


def orgs():
    return [OrganisationState("京东方合规 & <Partners>", manifest("Partners"), key="org-1",
                              owners={(OFFICER, "organisation"): "李娜"},
                              fact_owners={"organisation.targets_mainland_individuals": "法务部"}),
            OrganisationState("Jobs Platform", manifest("Jobs Platform"), key="org-2")]


@pytest.fixture(scope="module")
def dash():
    return dashboard(orgs(), AS_OF, default_rulebook())


# --- the feed ---------------------------------------------------------------------------------

def events(ics: bytes):
    return Calendar.from_ical(ics).walk("VEVENT")


def expected_uid(key: str, obligation: str, subject: str) -> str:
    return hashlib.sha256(f"{key}|{obligation}|{subject}".encode()).hexdigest()[:32] + "@hegui"


def test_the_feed_names_each_organisation_and_has_a_uid_per_organisation_obligation_subject(dash):
    found = events(feed_ics(dash.organisations, "en", user="Li Na"))
    uids = [str(e["uid"]) for e in found]
    assert len(uids) == len(set(uids))
    by_uid = {str(e["uid"]): e for e in found}
    for key, name in (("org-1", "京东方合规 & <Partners>"), ("org-2", "Jobs Platform")):
        officer = by_uid[expected_uid(key, OFFICER, "organisation")]
        assert officer.decoded("dtstart") == D(2026, 12, 7)
        assert str(officer["summary"]).startswith(f"{name}: ")
        assert f"Organisation: {name}" in str(officer["description"])
    overdue = by_uid[expected_uid("org-2", "cbdt.standard-contract-or-certification", "transfer:crm-to-us")]
    assert str(overdue["summary"]).startswith("OVERDUE since 2026-10-26: Jobs Platform: ")
    assert overdue.decoded("dtstart") == AS_OF                      # shown on the day one can still act
    assert {str(e["summary"]).split(": ")[0] for e in found} >= {"京东方合规 & <Partners>", "Jobs Platform"}


def test_a_moved_deadline_keeps_its_uid_so_calendars_update_the_event():
    before = {str(e["uid"]): e for e in events(feed_ics(dashboard(orgs(), AS_OF, default_rulebook()).organisations))}
    after = {str(e["uid"]): e for e in events(feed_ics(dashboard(orgs(), D(2026, 12, 10),
                                                                 default_rulebook()).organisations))}
    uid = expected_uid("org-2", OFFICER, "organisation")
    assert before[uid].decoded("dtstart") == D(2026, 12, 7)
    assert after[uid].decoded("dtstart") == D(2026, 12, 10)         # overdue now, on the as-of date
    assert str(after[uid]["summary"]).startswith("OVERDUE since 2026-12-07")


def test_the_feed_in_chinese(dash):
    cal = Calendar.from_ical(feed_ics(dash.organisations, "zh"))
    assert str(cal["x-wr-calname"]) == "hegui：合规期限"
    # subscribed calendars fetch it again within the day
    assert cal.decoded("refresh-interval") == datetime.timedelta(hours=6) and str(cal["x-published-ttl"]) == "PT6H"
    officer = next(e for e in cal.walk("VEVENT") if str(e["uid"]) == expected_uid("org-2", OFFICER, "organisation"))
    assert str(officer["summary"]) == "Jobs Platform：指定个人信息保护负责人并报送（organisation）"
    assert "组织：Jobs Platform" in str(officer["description"])


# --- the digest -------------------------------------------------------------------------------

def parts(message):
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def test_the_digest_subject_counts_and_both_parts(dash):
    message = digest_message(dash, "hegui@example.org", "team@example.org", "en", "https://hegui.example/")
    assert message["Subject"] == (f"hegui 2026-12-03: {len(dash.overdue)} overdue, {len(dash.due_soon)} due within "
                                  f"30 days, {len(dash.waiting)} waiting for facts, 0 changes")
    assert len(dash.overdue) >= 2 and len(dash.due_soon) >= 2        # the filing and the officer, twice
    text, html = parts(message)
    for part in (text, html):
        assert part.count(t("notice", "en")) == 1                     # the disclaimer once
        assert "fell due on 2026-10-26" in part
        assert "due on 2026-12-07, in 4 days" in part
        assert "owner: 李娜" in part
        assert ("needs: whether from abroad, the organisation offers products or services to individuals in "
                "mainland China or analyses their behaviour (to be given by 法务部)") in part
    assert "京东方合规 &amp; &lt;Partners&gt;" in html and "<Partners>" not in html
    assert '<a href="https://hegui.example/"' in html
    assert text.index("Overdue") < text.index("Due within the next 30 days") < text.index("Waiting for facts")


def test_the_digest_in_chinese(dash):
    message = digest_message(dash, "hegui@example.org", "team@example.org", "zh")
    assert message["Subject"].startswith(f"hegui 2026-12-03：{len(dash.overdue)} 项已逾期")
    for part in parts(message):
        assert part.count(t("notice", "zh")) == 1
        assert "指定个人信息保护负责人并报送" in part and "2026-12-07 到期，还有 4 天" in part
        assert "负责人：李娜" in part
        # PIPL Art. 53 waits on Art. 3(2): whether it targets individuals in China, asked of its owner
        assert "需要：该组织在境外向境内自然人提供产品或服务，或分析、评估其行为（是或否）（由 法务部 提供）" in part


def test_the_digest_says_what_changed_and_why():
    # At the last visit (2026-12-01) the organisation had 800,000 individuals: below "100万人以上", no
    # officer duty. Edited to 50,000,000 since, the duty applies, due 2026-12-07.
    now = manifest("Jobs Platform")
    last = now.model_copy(update={"organisation": now.organisation.model_copy(update={"pi_individuals": 800_000})})
    dash = dashboard([OrganisationState("Jobs Platform", now, last_manifest=last, last_visit=D(2026, 12, 1))], AS_OF,
                     default_rulebook())
    text = parts(digest_message(dash, "a@example.org", "b@example.org"))[0]
    changes = text[text.index("== Changed since your last visit =="):text.index("== Edits to the manifests")]
    officer = changes[changes.index("Jobs Platform: Appoint"):]
    assert officer.split("\n")[1:3] == ["    after edits to the manifest", "    status does not apply -> applies"]
    assert "Jobs Platform: organisation.pi_individuals: 800,000 -> 50,000,000" in text
    zh = parts(digest_message(dash, "a@example.org", "b@example.org", "zh"))[0]
    assert "因清单修改" in zh and "状态 不适用 -> 适用" in zh


def test_a_long_section_is_cut_and_counted(dash):
    from hegui.workspace.reminders import DIGEST_ITEMS
    assert len(dash.waiting) < DIGEST_ITEMS or "more on the dashboard" in parts(
        digest_message(dash, "a@example.org", "b@example.org"))[0]
    many = dashboard([OrganisationState(f"Org {i}", manifest(f"Org {i}")) for i in range(6)], AS_OF,
                     default_rulebook())
    assert len(many.waiting) > DIGEST_ITEMS
    text = parts(digest_message(many, "a@example.org", "b@example.org"))[0]
    assert f"… and {len(many.waiting) - DIGEST_ITEMS} more on the dashboard." in text


# --- sending to a local SMTP server --------------------------------------------------------------

class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, envelope.rcpt_tos,
                              email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


def login(server, session, envelope, mechanism, auth_data):
    # handled=False: aiosmtpd answers a refusal with 535 itself (handled=True would leave it to us)
    return AuthResult(success=(auth_data.login, auth_data.password) == (b"digest", b"s3cret:/@"), handled=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: the servers' own, and the client's only trust."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return server, ssl.create_default_context(cafile=str(folder / "cert.pem"))


@pytest.fixture(scope="module")
def servers(certificate):
    """(url, inbox) by mode: plain SMTP, STARTTLS with a login, TLS from the start."""
    server_tls, _ = certificate
    running = {}
    for mode, kwargs in {"plain": {},
                         "starttls": {"tls_context": server_tls, "require_starttls": True, "authenticator": login,
                                      "auth_required": True},
                         "tls": {"ssl_context": server_tls}}.items():
        inbox, port = Inbox(), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        running[mode] = (controller, port, inbox)
    yield {mode: (port, inbox) for mode, (_, port, inbox) in running.items()}
    for controller, _, _ in running.values():
        controller.stop()


def received_digest(inbox):
    assert inbox.received, "nothing arrived"
    return inbox.received[-1]


@pytest.mark.parametrize("mode, url", [
    ("plain", "smtp://127.0.0.1:{port}"),
    ("starttls", "smtp+starttls://digest:s3cret%3A%2F%40@127.0.0.1:{port}"),
    ("tls", "smtps://127.0.0.1:{port}"),
])
def test_the_digest_arrives_whole(dash, servers, certificate, mode, url):
    port, inbox = servers[mode]
    message = digest_message(dash, "hegui@example.org", "合规团队 <team@example.org>", "zh")
    send_digest(url.format(port=port), message, timeout=10, ssl_context=certificate[1])
    mail_from, rcpt_tos, got = received_digest(inbox)
    assert (mail_from, rcpt_tos) == ("hegui@example.org", ["team@example.org"])
    assert got["Subject"] == message["Subject"] and "项已逾期" in got["Subject"]
    assert got["Date"] and got["Message-ID"]
    text, html = parts(got)
    assert "指定个人信息保护负责人并报送" in text and "指定个人信息保护负责人并报送" in html
    assert text.count(t("notice", "zh")) == 1 and html.count(t("notice", "zh")) == 1


def test_a_refused_connection_is_a_clear_error(dash):
    port = free_port()                                              # nothing listens there
    with pytest.raises(DigestError) as caught:
        send_digest(f"smtp://127.0.0.1:{port}", digest_message(dash, "a@example.org", "b@example.org"), timeout=5)
    assert str(caught.value) == f"could not send the digest to smtp://127.0.0.1:{port}: Connection refused"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_tls_errors_and_refusals_are_clear(dash, servers, certificate):
    message = digest_message(dash, "a@example.org", "b@example.org")
    port = servers["tls"][0]
    with pytest.raises(DigestError, match="TLS failed .*CERTIFICATE_VERIFY_FAILED"):
        send_digest(f"smtps://127.0.0.1:{port}", message, timeout=10)    # a self-signed certificate: not trusted
    port = servers["starttls"][0]
    with pytest.raises(DigestError, match="refused the login for 'digest'") as caught:
        send_digest(f"smtp+starttls://digest:wrong@127.0.0.1:{port}", message, timeout=10,
                    ssl_context=certificate[1])
    assert "wrong" not in str(caught.value)
    port = servers["plain"][0]
    with pytest.raises(DigestError, match=rf"smtp\+starttls://127.0.0.1:{port}: STARTTLS extension not supported"):
        send_digest(f"smtp+starttls://127.0.0.1:{port}", message, timeout=10, ssl_context=certificate[1])


@pytest.mark.parametrize("url, says", [
    ("http://127.0.0.1:25", "expected smtp://, smtp+starttls:// or smtps://host[:port], got http://"),
    ("127.0.0.1:25", "expected smtp://, smtp+starttls:// or smtps://host[:port], got"),
    ("smtp://user:secret@127.0.0.1", "would send the password in the clear"),
    ("smtps://:465", "no host in the URL"),
    ("smtp://127.0.0.1:notaport", "the port must be a number"),
])
def test_a_bad_smtp_url_is_a_clear_error(dash, url, says):
    with pytest.raises(DigestError, match=says.replace("+", r"\+").replace("[", r"\[").replace("]", r"\]")) as caught:
        send_digest(url, digest_message(dash, "a@example.org", "b@example.org"))
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize("url, parsed", [
    ("smtp://mail.internal", ("smtp", "mail.internal", 25, None, None)),
    ("smtp+starttls://a%40b.cn:p%3Aw%2F@mail.example.cn", ("smtp+starttls", "mail.example.cn", 587, "a@b.cn", "p:w/")),
    ("SMTPS://mail.example.cn", ("smtps", "mail.example.cn", 465, None, None)),
    ("smtps://u:pw@[::1]:2465", ("smtps", "::1", 2465, "u", "pw")),
])
def test_smtp_urls_and_their_default_ports(url, parsed):
    # 25: SMTP (RFC 5321); 587: submission with STARTTLS (RFC 6409); 465: submission over TLS (RFC 8314)
    assert parse_smtp_url(url) == parsed
