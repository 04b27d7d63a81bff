#!/usr/bin/env python3
"""Writes the email test corpus: Tests/CasebookMailTests/Corpus/NNN-name.eml and .json.

Each message is written here by hand (no mail from elsewhere). The expected JSON is computed
with Python's own email package as an independent reference parser, then normalised to
Casebook's documented output rules (addresses lower-cased, text with LF line endings and no
trailing blank lines, dates in UTC with milliseconds). Where Casebook deliberately differs from
Python (lenient repairs of broken mail, text made from HTML-only mail, uuencoded files), the
message's spec gives the expected values itself, in `expect`.

Run from the repository root: python3 scripts/make-mail-corpus.py
"""
import base64
import email
import email.policy
import email.utils
import hashlib
import json
import os
import quopri
from datetime import timezone

OUT = "Tests/CasebookMailTests/Corpus"
CORPUS = []


def msg(name, raw, expect=None):
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    CORPUS.append((name, raw, expect or {}))


def hdr(**extra):
    base = {
        "From": "Jane Customer <jane@acme.example>",
        "To": "support@casebook.example",
        "Subject": "Printer jams on tray 2",
        "Date": "Sun, 22 Nov 2026 10:15:00 +0100",
        "Message-ID": "<m1@acme.example>",
        "MIME-Version": "1.0",
    }
    for key, value in extra.items():
        key = key.replace("_", "-")
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return "".join("%s: %s\n" % kv for kv in base.items())


def b64(data, width=76):
    text = base64.b64encode(data).decode()
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def qp(text, charset="utf-8"):
    return quopri.encodestring(text.encode(charset)).decode()


# ------------------------------------------------------------------------------------------
# Charsets: one plain message per charset the issue names, body and encoded-word subject.
CHARSETS = [
    ("utf-8", "Café crème, naïve façade — €5"),
    ("us-ascii", "Plain ASCII text only"),
    ("iso-8859-1", "Café crème à la française"),
    ("iso-8859-2", "Zażółć gęślą jaźń"),
    ("iso-8859-3", "Ħal Għargħur"),
    ("iso-8859-4", "Ģirts ņēma"),
    ("iso-8859-5", "Привет мир"),
    ("iso-8859-6", "مرحبا"),
    ("iso-8859-7", "Καλημέρα κόσμε"),
    ("iso-8859-8", "שלום עולם"),
    ("iso-8859-9", "Günaydın dünya"),
    ("iso-8859-10", "Þórður"),
    ("iso-8859-13", "Labas rytas ąčęėįšųūž"),
    ("iso-8859-14", "Ŵŷ Ẁales"),
    ("iso-8859-15", "Prix: 5 € œuvre"),
    ("windows-1250", "Příliš žluťoučký kůň"),
    ("windows-1251", "Съешь ещё этих булок"),
    ("windows-1252", "“Smart quotes” – and €"),
    ("windows-1253", "Γειά σου"),
    ("windows-1254", "Şişli’de ğ"),
    ("windows-1255", "שלום"),
    ("windows-1256", "السلام عليكم"),
    ("windows-1257", "Ąžuolas"),
    ("windows-1258", "Cà phê đá"),
    ("koi8-r", "Съешь же ещё"),
    ("koi8-u", "Ґанок і їжак"),
    ("shift_jis", "プリンターが紙詰まり"),
    ("euc-jp", "プリンターが紙詰まり"),
    ("iso-2022-jp", "プリンターが紙詰まり"),
    ("gb2312", "打印机卡纸"),
    ("gbk", "打印机卡纸"),
    ("gb18030", "打印机卡纸"),
    ("big5", "印表機卡紙"),
    ("euc-kr", "프린터 용지 걸림"),
    ("utf-16", "UTF-16 body text"),
]
for index, (charset, text) in enumerate(CHARSETS):
    body = text.encode(charset)
    subject = email.header.Header(text, charset if charset != "us-ascii" else "us-ascii").encode() if charset not in ("utf-16", "iso-2022-jp") else text
    if charset == "iso-2022-jp":
        subject = "=?ISO-2022-JP?B?%s?=" % base64.b64encode(text.encode("iso-2022-jp")).decode()
    if charset == "utf-16":
        subject = "=?UTF-8?B?%s?=" % base64.b64encode(text.encode("utf-8")).decode()
    cte = "base64" if charset in ("utf-16", "shift_jis", "euc-jp", "gb2312", "gbk", "gb18030", "big5", "euc-kr") else "8bit"
    if charset == "iso-2022-jp":
        cte = "7bit"
    payload = b64(body) if cte == "base64" else body
    head = hdr(Subject=subject, Message_ID="<charset-%d@acme.example>" % index,
               Content_Type="text/plain; charset=%s" % charset, Content_Transfer_Encoding=cte)
    raw = head.encode() + b"\n" + (payload.encode() if isinstance(payload, str) else payload) + b"\n"
    exp = {}
    if charset == "iso-8859-1":
        exp = {}
    msg("charset-%s" % charset, raw, exp)

# ------------------------------------------------------------------------------------------
# Transfer encodings.
msg("qp-utf8", hdr(Content_Type="text/plain; charset=utf-8", Content_Transfer_Encoding="quoted-printable") + "\n" +
    qp("A long line that needs soft breaks because it goes on and on and on past the limit of seventy-six characters, café.\n"))
msg("base64-text", hdr(Content_Type="text/plain; charset=utf-8", Content_Transfer_Encoding="base64") + "\n" +
    b64("Base64 body with ümlauts.\nSecond line.\n".encode()) + "\n")
msg("binary-8bit", hdr(Content_Type="text/plain; charset=utf-8", Content_Transfer_Encoding="binary").encode() + b"\nRaw 8-bit \xc3\xa9t\xc3\xa9\n")
msg("7bit-default", hdr() + "\nNo MIME headers at all; plain text.\nLine two.\n")
msg("no-mime-version", hdr(MIME_Version=None) + "\nOld-style message without MIME-Version.\n")

# ------------------------------------------------------------------------------------------
# Headers.
msg("folded-headers", hdr(Subject="A subject that is folded\n across two lines\n\tand a third") + "\nBody.\n")
msg("encoded-subject-adjacent", hdr(Subject="=?UTF-8?Q?Caf=C3=A9?= =?UTF-8?Q?_cr=C3=A8me?= tasting") + "\nBody.\n")
msg("encoded-subject-split-multibyte", hdr(Subject="=?UTF-8?B?w6k=?= =?UTF-8?B?w6g=?=") + "\nBody.\n")
msg("malformed-encoded-word", hdr(Subject="=?UTF-8?Q?broken") + "\nBody.\n", {"subject": "=?UTF-8?Q?broken"})
msg("quoted-display-name", hdr(From='"Doe, Jane (Acme)" <Jane.Doe@ACME.example>') + "\nBody.\n")
msg("comment-display-name", hdr(From="jane@acme.example (Jane from Acme)") + "\nBody.\n")
msg("encoded-display-name", hdr(From="=?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <jose@example.es>") + "\nBody.\n")
msg("group-recipients", hdr(To="Support team: support@casebook.example, help@casebook.example;", Cc="undisclosed-recipients:;") + "\nBody.\n")
msg("many-recipients", hdr(To=", ".join("user%d@acme.example" % i for i in range(40)), Cc="boss@acme.example") + "\nBody.\n")
msg("obsolete-route", hdr(From="Jane <@relay.example:jane@acme.example>") + "\nBody.\n",
    {"from": "Jane <jane@acme.example>", "from_address": "jane@acme.example"})
msg("raw-8bit-header", hdr(Subject="Caf\u00e9 without encoding", From="Andr\u00e9 <andre@acme.example>") + "\nBody.\n",
    {"subject": "Caf\u00e9 without encoding", "from": "Andr\u00e9 <andre@acme.example>"})
msg("obsolete-date", hdr(Date="Sun, 22 Nov 26 10:15:00 EST") + "\nTwo-digit year and zone name.\n")
msg("date-with-comment", hdr(Date="Sun, 22 Nov 2026 10:15:00 +0000 (UTC)") + "\nBody.\n")
msg("missing-date", hdr(Date=None) + "\nNo date header.\n")
msg("bad-date", hdr(Date="yesterday afternoon") + "\nBad date header.\n", {"date": None})
msg("huge-header", hdr(X_Long="x" * 20000, References=" ".join("<ref%d@acme.example>" % i for i in range(300))) + "\nBody after huge headers.\n")
msg("lowercase-headers", "from: jane@acme.example\nto: support@casebook.example\nsubject: lower case names\nmessage-id: <lc@acme.example>\n\nBody.\n")
msg("mbox-from-line", "From jane@acme.example Sun Nov 22 10:15:00 2026\n" + hdr() + "\nBody after an mbox From line.\n")

# ------------------------------------------------------------------------------------------
# Replies and threading, in the shapes common clients write.
msg("reply-gmail", hdr(Subject="Re: [CB-10423] Printer jams on tray 2", In_Reply_To="<casebook-10423-1@casebook.example>",
                       References="<casebook-10423@casebook.example> <casebook-10423-1@casebook.example>",
                       Content_Type='multipart/alternative; boundary="000000000000abc"') + """
--000000000000abc
Content-Type: text/plain; charset="UTF-8"

Thanks, that worked.

On Sun, 22 Nov 2026 at 09:00, Casebook Support <support@casebook.example> wrote:
> Please try the new driver.

--000000000000abc
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Thanks, that worked.</div><br><div class="gmail_quote">On Sun, 22 Nov 2026 ...<blockquote>Please try the new driver.</blockquote></div>

--000000000000abc--
""")
msg("reply-outlook", hdr(Subject="RE: [CB-10423] Printer jams on tray 2", In_Reply_To="<casebook-10423-2@casebook.example>",
                         Thread_Topic="Printer jams", Thread_Index="AQHZ1234", X_MS_Has_Attach="",
                         Content_Type='multipart/alternative; boundary="_000_outlook_"') + """
--_000_outlook_
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

Hi,=0D
=0D
It still jams=85 see below.=0D
=0D
From: Casebook Support <support@casebook.example>=0D
Sent: Sunday, 22 November 2026 09:00

--_000_outlook_
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3Diso-8859-1"></head><body><p>Hi,</p><p>It still jams=85 see below.</p></body></html>

--_000_outlook_--
""", {"text": "Hi,\n\nIt still jams\u2026 see below.\n\nFrom: Casebook Support <support@casebook.example>\nSent: Sunday, 22 November 2026 09:00",
      "html": "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body><p>Hi,</p><p>It still jams\u2026 see below.</p></body></html>"})
msg("reply-apple-mail", hdr(Subject="Re: Printer jams", In_Reply_To="<m0@casebook.example>", References="<m0@casebook.example>",
                            Content_Type="text/plain; charset=utf-8; format=flowed; delsp=yes", Content_Transfer_Encoding="quoted-printable") +
    "\nSent from my iPhone=0A=0A> On 22 Nov 2026, at 09:00, Support wrote:\n")
msg("reply-thunderbird", hdr(Subject="Re: Printer jams", In_Reply_To="<m0@casebook.example>",
                             References="<root@casebook.example>\n <m0@casebook.example>", User_Agent="Mozilla Thunderbird",
                             Content_Type="text/plain; charset=UTF-8; format=flowed", Content_Transfer_Encoding="8bit") +
    "\nOn 22/11/2026 09:00, Support wrote:\n> Please send the log.\n\nHere it is.\n")
msg("reply-no-brackets", hdr(In_Reply_To="m0@casebook.example", References="m0@casebook.example") + "\nReply with bare ids.\n",
    {"in_reply_to": "m0@casebook.example", "references": ["m0@casebook.example"]})
msg("reply-subject-tag-only", hdr(Subject="Re: [CB-10423] still broken", In_Reply_To=None) + "\nOnly the tag links this.\n")

# ------------------------------------------------------------------------------------------
# HTML-only mail: Casebook makes a readable text version (Python does not, so it is given here).
msg("html-only", hdr(Content_Type="text/html; charset=utf-8") + """
<html><head><style>p { color: red }</style><title>x</title></head><body>
<h1>Outage</h1><p>The <b>printer</b> on floor&nbsp;2 is down.</p>
<ul><li>Tried restart</li><li>Tried new toner</li></ul>
<p>Regards,<br>Jane &amp; team</p><script>alert(1)</script></body></html>
""", {"text": "Outage\n\nThe printer on floor 2 is down.\n\n- Tried restart\n- Tried new toner\n\nRegards,\nJane & team"})
msg("html-only-meta-charset", hdr(Content_Type="text/html").encode() + b'\n<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 \x80 5</p></body></html>\n',
    {"text": "Caf\u00e9 \u20ac 5", "html": '<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 \u20ac 5</p></body></html>'})
msg("html-with-script-onerror", hdr(Content_Type="text/html; charset=utf-8") +
    '\n<p>Hello</p><img src="x" onerror="alert(1)"><script>document.cookie</script>\n',
    {"text": "Hello"})

# ------------------------------------------------------------------------------------------
# Multipart structures.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
msg("mixed-attachment", hdr(Content_Type='multipart/mixed; boundary="b1"') + """
--b1
Content-Type: text/plain; charset=utf-8

See the attached log.
--b1
Content-Type: text/plain; name="printer.log"
Content-Disposition: attachment; filename="printer.log"

ERROR tray 2 jam
--b1
Content-Type: application/pdf; name="manual.pdf"
Content-Disposition: attachment; filename="manual.pdf"
Content-Transfer-Encoding: base64

""" + b64(PDF) + """
--b1--
""")
msg("related-inline-image", hdr(Content_Type='multipart/related; boundary="rel"') + """
--rel
Content-Type: text/html; charset=utf-8

<p>Screenshot: <img src="cid:shot1@acme.example"></p>
--rel
Content-Type: image/png
Content-ID: <shot1@acme.example>
Content-Disposition: inline
Content-Transfer-Encoding: base64

""" + b64(PNG) + """
--rel--
""", {"text": "Screenshot:"})
msg("alternative-in-mixed", hdr(Content_Type='multipart/mixed; boundary="outer"') + """
--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8

Plain version.
--inner
Content-Type: text/html; charset=utf-8

<p>HTML version.</p>
--inner--
--outer
Content-Type: image/png; name="photo.png"
Content-Disposition: attachment; filename="photo.png"
Content-Transfer-Encoding: base64

""" + b64(PNG) + """
--outer--
""")
msg("deep-nesting", hdr(Content_Type='multipart/mixed; boundary="l0"') + "".join(
    '\n--l%d\nContent-Type: multipart/mixed; boundary="l%d"\n' % (i, i + 1) for i in range(8)) +
    "\n--l8\nContent-Type: text/plain\n\nDeep text.\n--l8--\n" + "".join("--l%d--\n" % i for i in range(7, -1, -1)))
msg("digest", hdr(Content_Type='multipart/digest; boundary="dg"') + """
--dg

From: a@acme.example
Subject: First digest entry

One.
--dg

From: b@acme.example
Subject: Second digest entry

Two.
--dg--
""", {"text": "", "attachments": [
    ["First digest entry.eml", "message/rfc822", b"From: a@acme.example\r\nSubject: First digest entry\r\n\r\nOne."],
    ["Second digest entry.eml", "message/rfc822", b"From: b@acme.example\r\nSubject: Second digest entry\r\n\r\nTwo."]]})
msg("signed", hdr(Content_Type='multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="sig"') + """
--sig
Content-Type: text/plain; charset=utf-8

Signed message body.
--sig
Content-Type: application/pgp-signature; name="signature.asc"
Content-Disposition: attachment; filename="signature.asc"

-----BEGIN PGP SIGNATURE-----
iQEzBAEBCAAdFiEE
-----END PGP SIGNATURE-----
--sig--
""")
msg("attached-message", hdr(Content_Type='multipart/mixed; boundary="fw"') + """
--fw
Content-Type: text/plain

Forwarding the original.
--fw
Content-Type: message/rfc822
Content-Disposition: attachment

From: someone@else.example
Subject: Original problem
Message-ID: <orig@else.example>

Original body.
--fw--
""", {"attachments": "computed-inner", "text": "Forwarding the original."})
msg("rfc2231-filename", hdr(Content_Type='multipart/mixed; boundary="b"') + """
--b
Content-Type: text/plain

Files with international names.
--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*0*=UTF-8''na%C3%AFve%20; filename*1="report.txt"

abc
--b
Content-Type: application/octet-stream; name="=?UTF-8?B?w7xiZXIudHh0?="
Content-Disposition: attachment

def
--b--
""", {"attachments": [["naïve report.txt", "application/octet-stream", b"abc"], ["über.txt", "application/octet-stream", b"def"]]})
msg("attachment-no-filename", hdr(Content_Type='multipart/mixed; boundary="b"') + """
--b
Content-Type: text/plain

Unnamed attachment follows.
--b
Content-Type: application/pdf
Content-Transfer-Encoding: base64

""" + b64(PDF) + """
--b--
""", {"attachments": [["attachment-1.pdf", "application/pdf", PDF]]})
msg("path-in-filename", hdr(Content_Type='multipart/mixed; boundary="b"') + """
--b
Content-Type: text/plain

Sneaky path.
--b
Content-Type: text/plain
Content-Disposition: attachment; filename="..\\\\..\\\\windows\\\\evil.bat"

echo hi
--b--
""", {"attachments": [["evil.bat", "text/plain", b"echo hi"]]})

# Broken MIME, handled leniently.
msg("missing-closing-boundary", hdr(Content_Type='multipart/mixed; boundary="open"') + """
--open
Content-Type: text/plain

The closing boundary never comes.
""", {"text": "The closing boundary never comes."})
msg("wrong-boundary", hdr(Content_Type='multipart/mixed; boundary="declared"') + """
--actual
Content-Type: text/plain

Boundary in the body differs from the header.
--actual--
""", {"text": "Boundary in the body differs from the header.", "attachments": []})
msg("missing-boundary-parameter", hdr(Content_Type="multipart/mixed") + """
--xyz
Content-Type: text/plain

No boundary parameter at all.
--xyz--
""", {"text": "No boundary parameter at all.", "attachments": []})
msg("no-content-type-in-part", hdr(Content_Type='multipart/mixed; boundary="b"') + """
--b

Part without headers defaults to text/plain.
--b--
""")
msg("garbage-content-type", hdr(Content_Type="garbage") + "\nBody with an unusable content type.\n")
msg("bad-base64", hdr(Content_Type="text/plain; charset=utf-8", Content_Transfer_Encoding="base64") + "\nSGVsbG8g!!!d29ybGQ=\n***\n",
    {"text": "Hello world"})
msg("bad-qp", hdr(Content_Type="text/plain; charset=utf-8", Content_Transfer_Encoding="quoted-printable") + "\nPrice =ZZ and =4\n",
    {"text": "Price =ZZ and =4"})
msg("unknown-charset", hdr(Content_Type="text/plain; charset=x-no-such-charset").encode() + b"\nCaf\xc3\xa9 in UTF-8 despite the label.\n",
    {"text": "Caf\u00e9 in UTF-8 despite the label."})
msg("mislabelled-utf8-latin1", hdr(Content_Type="text/plain; charset=utf-8").encode() + b"\nCaf\xe9 sent as Latin-1.\n",
    {"text": "Caf\u00e9 sent as Latin-1."})
msg("no-headers-at-all", "\nJust a body after an empty header block.\n",
    {"from": None, "from_address": None, "to": [], "subject": "", "message_id": None, "date": None})
msg("headers-only", hdr().rstrip("\n"), {"text": ""})
msg("crlf-lf-mixed", hdr(Content_Type="text/plain").replace("\n", "\r\n") + "\nMixed\r\nline\nendings\n")

# uuencode inside a text body: Casebook takes the file out.
UU_DATA = b"uuencoded payload\n"
import binascii
uu_lines = "".join(binascii.b2a_uu(UU_DATA[i:i + 45]).decode() for i in range(0, len(UU_DATA), 45))
msg("uuencoded", hdr(Content_Type="text/plain") + "\nSee file below.\n\nbegin 644 notes.txt\n" + uu_lines + "`\nend\n",
    {"text": "See file below.", "attachments": [["notes.txt", "application/octet-stream", UU_DATA]]})

# ------------------------------------------------------------------------------------------
# Automatic mail: bounces and auto-replies.
msg("bounce-dsn", hdr(From="Mail Delivery System <MAILER-DAEMON@mx.acme.example>", Subject="Undelivered Mail Returned to Sender",
                      Auto_Submitted="auto-replied",
                      Content_Type='multipart/report; report-type=delivery-status; boundary="dsn"') + """
--dsn
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.acme.example.
I'm sorry to have to inform you that your message could not be delivered.

--dsn
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.acme.example

Final-Recipient: rfc822; gone@acme.example
Action: failed
Status: 5.1.1

--dsn
Content-Type: text/rfc822-headers

Message-ID: <casebook-10423-3@casebook.example>
Subject: [CB-10423] Update

--dsn--
""", {"text": "This is the mail system at host mx.acme.example.\nI'm sorry to have to inform you that your message could not be delivered.",
      "attachments": [
          ["attachment-1.txt", "message/delivery-status", b"Reporting-MTA: dns; mx.acme.example\r\n\r\nFinal-Recipient: rfc822; gone@acme.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"],
          ["attachment-2.txt", "text/rfc822-headers", b"Message-ID: <casebook-10423-3@casebook.example>\r\nSubject: [CB-10423] Update\r\n"]]})
msg("out-of-office", hdr(Subject="Automatic reply: Printer jams", Auto_Submitted="auto-replied", X_Auto_Response_Suppress="All",
                         Precedence="bulk") + "\nI am out of the office until Monday.\n")
msg("list-mail", hdr(Precedence="list", List_Id="<announce.acme.example>", List_Unsubscribe="<mailto:leave@acme.example>") + "\nList traffic.\n")

# ------------------------------------------------------------------------------------------
# More client shapes and content.
msg("calendar-invite", hdr(Content_Type='multipart/mixed; boundary="cal"') + """
--cal
Content-Type: text/plain

Maintenance window invite.
--cal
Content-Type: text/calendar; method=REQUEST; charset=utf-8

BEGIN:VCALENDAR
END:VCALENDAR
--cal--
""", {"attachments": [["attachment-1.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR"]]})
msg("two-text-parts", hdr(Content_Type='multipart/mixed; boundary="b"') + """
--b
Content-Type: text/plain

First part.
--b
Content-Type: text/plain

Second part.
--b--
""", {"text": "First part.\n\nSecond part."})
msg("empty-body", hdr() + "\n", {"text": ""})
msg("long-lines", hdr(Content_Type="text/plain") + "\n" + ("word " * 4000).strip() + "\n")
msg("unicode-emoji", hdr(Subject="=?UTF-8?B?8J+UpSBTZXJ2ZXIgb24gZmlyZQ==?=", Content_Type="text/plain; charset=utf-8") + "\nServer 🔥 again 😡\n")
msg("angry-capitals", hdr(Subject="THIS IS THE THIRD TIME!!!") + "\nI HAVE REPORTED THIS THREE TIMES AND NOBODY ANSWERS!!!\n")
msg("reply-to-header", hdr(Reply_To="Helpdesk Team <team@acme.example>") + "\nReplies go to the team.\n")
msg("sender-without-from", hdr(From=None, Sender="robot@acme.example") + "\nOnly a Sender header.\n",
    {"from": "robot@acme.example", "from_address": "robot@acme.example"})
msg("inline-text-attachment", hdr(Content_Type='multipart/mixed; boundary="b"') + """
--b
Content-Type: text/plain

Body text.
--b
Content-Type: text/x-log; name="app.log"
Content-Disposition: inline; filename="app.log"

log line
--b--
""", {"attachments": [["app.log", "text/x-log", b"log line"]]})
msg("latin1-attachment-name", hdr(Content_Type='multipart/mixed; boundary="b"').encode() + b"""
--b
Content-Type: text/plain

Raw 8-bit file name.
--b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename="r\xe9sum\xe9.txt"

cv
--b--
""", {"attachments": [["r\u00e9sum\u00e9.txt", "application/octet-stream", b"cv"]]})
msg("base64-attachment-lines-odd", hdr(Content_Type='multipart/mixed; boundary="b"') + """
--b
Content-Type: text/plain

Odd base64 line lengths.
--b
Content-Type: application/octet-stream; name="data.bin"
Content-Disposition: attachment; filename="data.bin"
Content-Transfer-Encoding: base64

""" + b64(bytes(range(256)) * 3, width=61) + """
--b--
""")
msg("preamble-epilogue", hdr(Content_Type='multipart/mixed; boundary="b"') + """This is a multi-part message in MIME format.
--b
Content-Type: text/plain

Real body.
--b--
Epilogue text that is ignored.
""")
msg("boundary-with-spaces", hdr(Content_Type='multipart/alternative; boundary="a b c"') + """
--a b c
Content-Type: text/plain

Boundary containing spaces.
--a b c--
""")
msg("content-type-uppercase", hdr(Content_Type='MULTIPART/MIXED; BOUNDARY="UP"') + """
--UP
CONTENT-TYPE: TEXT/PLAIN; CHARSET=UTF-8

Upper-case MIME headers.
--UP--
""")
msg("japanese-full", hdr(Subject="=?ISO-2022-JP?B?GyRCJVclaiVzJT8hPCQsO2Y1TSReJGokXhsoQg==?=",
                         From="=?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.jp>",
                         Content_Type="text/plain; charset=ISO-2022-JP", Content_Transfer_Encoding="7bit").encode() +
    b"\n" + "プリンターが紙詰まりします。\n".encode("iso-2022-jp") + b"\n")
msg("chinese-big5-html", hdr(Content_Type="text/html; charset=big5", Content_Transfer_Encoding="base64") + "\n" +
    b64("<p>印表機卡紙</p>".encode("big5")) + "\n", {"text": "印表機卡紙"})
msg("korean-qp", hdr(Content_Type="text/plain; charset=euc-kr", Content_Transfer_Encoding="quoted-printable") + "\n" + qp("프린터 용지 걸림", "euc-kr"))
msg("cyrillic-koi8-subject", hdr(Subject="=?KOI8-R?B?%s?=" % base64.b64encode("Принтер".encode("koi8-r")).decode(),
                                 Content_Type="text/plain; charset=koi8-r", Content_Transfer_Encoding="8bit").encode() + b"\n" + "Не печатает".encode("koi8-r") + b"\n")


# Headers in 8-bit without RFC 2047, read in the charset the text declares; charset and date forms seen in the wild.
msg("raw-gbk-headers", hdr(From="", Subject="", Content_Type="text/plain; charset=gb2312", Content_Transfer_Encoding="8bit")
    .replace("From: \n", "").replace("Subject: \n", "").encode()
    .replace(b"To: ", b"From: " + "张伟".encode("gbk") + b" <zw@example.cn>\nSubject: " + "打印机坏了".encode("gbk") + b"\nTo: ", 1)
    + b"\n" + "请帮忙看看。".encode("gbk") + b"\n",
    {"from": "张伟 <zw@example.cn>", "subject": "打印机坏了"})
msg("raw-koi8-subject-multipart", hdr(Subject=None, Content_Type='multipart/alternative; boundary="k"').encode()
    + b"Subject: " + "Принтер сломан".encode("koi8-r") + b"\n\n--k\nContent-Type: text/plain; charset=koi8-r\n"
    + b"Content-Transfer-Encoding: 8bit\n\n" + "Не печатает".encode("koi8-r") + b"\n--k--\n",
    {"subject": "Принтер сломан"})
msg("raw-iso-2022-jp-subject", hdr(Subject=None, Content_Type="text/plain; charset=iso-2022-jp").encode()
    + b"Subject: " + "プリンター".encode("iso-2022-jp") + b"\n\n" + "紙詰まり".encode("iso-2022-jp") + b"\n",
    {"subject": "プリンター"})
msg("hebrew-iso-8859-8-i", hdr(Subject="=?iso-8859-8-i?B?%s?=" % base64.b64encode("מדפסת".encode("iso-8859-8")).decode(),
                               Content_Type="text/plain; charset=iso-8859-8-i", Content_Transfer_Encoding="8bit").encode()
    + b"\n" + "המדפסת לא עובדת".encode("iso-8859-8") + b"\n",
    {"subject": "מדפסת", "text": "המדפסת לא עובדת"})
msg("name-before-bare-address", hdr(From="Ann Smith ann@acme.example") + "\nNo brackets around the address.\n",
    {"from": "Ann Smith <ann@acme.example>", "from_address": "ann@acme.example"})
msg("iso-8601-date", hdr(Date="2026-11-22T10:15:00+01:00") + "\nA tool's date.\n", {"date": "2026-11-22T09:15:00.000Z"})
msg("dotted-time-short-zone", hdr(Date="Sun, 22 Nov 2026 10.15.00 +01") + "\nDots in the time.\n", {"date": "2026-11-22T09:15:00.000Z"})
msg("european-zone-name", hdr(Date="Sun, 22 Nov 2026 10:15:00 MEZ") + "\nA zone by name.\n", {"date": "2026-11-22T09:15:00.000Z"})


# Header blocks that are broken in ways real software breaks them: the sender and subject are still found.
JANE = {"from": "Jane Customer <jane@acme.example>", "from_address": "jane@acme.example", "to": ["support@casebook.example"],
        "date": "2026-11-22T09:15:00.000Z", "message_id": "m1@acme.example"}
msg("space-before-colon", hdr().replace("From: ", "From : ").replace("Subject: ", "Subject : ") + "\nOld software's spacing.\n",
    dict(JANE, subject="Printer jams on tray 2", text="Old software's spacing."))
msg("stray-line-in-headers", hdr().replace("To: ", "X-Mailer: Ancient 1.0\nthis line belongs to no header\nTo: ") + "\nBody after it.\n",
    dict(JANE, subject="Printer jams on tray 2", text="Body after it."))
msg("fold-without-space", hdr(Subject="Printer jams on tray 2 when printing").replace("when printing", "when\nprinting", 1)
    + "\nFolded badly.\n", dict(JANE, subject="Printer jams on tray 2 when printing", text="Folded badly."))
msg("byte-order-mark", b"\xef\xbb\xbf" + hdr().encode() + b"\nSaved by a Windows tool.\n",
    dict(JANE, subject="Printer jams on tray 2", text="Saved by a Windows tool."))
msg("carriage-returns-only", (hdr() + "\nOld Mac line endings.\n").encode().replace(b"\n", b"\r").replace(b"\r\r\n", b"\r"),
    dict(JANE, subject="Printer jams on tray 2", text="Old Mac line endings.", date="2026-11-22T09:15:00.000Z",
         message_id="m1@acme.example"))
msg("escaped-mbox-from-line", ">From jane@acme.example Sun Nov 22 10:15:00 2026\n" + hdr() + "\nFrom an mbox file.\n",
    dict(JANE, subject="Printer jams on tray 2", text="From an mbox file.", date="2026-11-22T09:15:00.000Z", message_id="m1@acme.example"))


msg("unclosed-quote-in-name", hdr(From='"Jane Customer <jane@acme.example>') + "\nThe quote never closes.\n",
    dict(JANE, text="The quote never closes."))
msg("quoted-local-part-with-space", hdr(From='Jane Customer <"jane customer"@acme.example>') + "\nA quoted local part.\n",
    {"from": 'Jane Customer <"jane customer"@acme.example>', "from_address": '"jane customer"@acme.example'})
msg("stray-closing-bracket", hdr(From="Jane Customer <jane@acme.example>>") + "\nOne bracket too many.\n",
    dict(JANE, text="One bracket too many."))


msg("parameter-without-semicolon", hdr(Content_Type="text/plain charset=iso-8859-1 format=flowed", Content_Transfer_Encoding="8bit").encode()
    + b"\nCaf\xe9 au lait.\n", {"text": "Café au lait.", "attachments": []})


msg("comma-inside-encoded-name", hdr(From="=?utf-8?Q?Customer,_Jane?= <jane@acme.example>",
                                     Cc="=?utf-8?Q?M=C3=BCller,_J=C3=B6rg?= <jorg@acme.example>, ops@acme.example") + "\nA comma in an encoded name.\n",
    {"from": "Customer, Jane <jane@acme.example>", "from_address": "jane@acme.example",
     "cc": ["Müller, Jörg <jorg@acme.example>", "ops@acme.example"]})


msg("html-named-entities", hdr(Content_Type="text/html; charset=us-ascii") +
    "\n<p>R&eacute;sum&eacute; from &Eacute;mile &ndash; caf&eacute; cr&egrave;me &amp; na&iuml;ve &copy;&nbsp;2026</p>\n",
    {"text": "Résumé from Émile – café crème & naïve © 2026"})
msg("quoted-printable-written-loosely", hdr(Content_Type="text/plain; charset=utf-8", Content_Transfer_Encoding="Quoted_Printable")
    + "\nCaf=C3=A9 cr=C3=A8me\n", {"text": "Café crème"})



# format=flowed (RFC 3676), as Thunderbird, Apple Mail and phones send it: soft breaks end in a space.
msg("format-flowed", hdr(Content_Type="text/plain; charset=UTF-8; format=flowed", Content_Transfer_Encoding="8bit")
    + "\nHello,\n\nThe printer on floor 2 jams every time we print more than ten \npages in one job. It started after "
    + "the toner change on \nMonday morning.\n\n> Could you send the printer's log? It is under \n> Settings > Diagnostics."
    + "\n\n From the second floor nothing prints at all.\n-- \nJane\n",
    {"text": "Hello,\n\nThe printer on floor 2 jams every time we print more than ten pages in one job. It started after the "
             "toner change on Monday morning.\n\n> Could you send the printer's log? It is under Settings > Diagnostics.\n\n"
             "From the second floor nothing prints at all.\n-- \nJane"})
msg("format-flowed-delsp", hdr(Content_Type="text/plain; charset=utf-8; format=flowed; delsp=yes", Content_Transfer_Encoding="8bit")
    + "\nプリンターが朝から紙詰まりを \n起こしています。\n", {"text": "プリンターが朝から紙詰まりを起こしています。"})


# Charset labels older mailers wrote: Outlook Express's UTF-7, classic Mac OS, Latin-1 labels on Windows text.
msg("charset-utf-7-outlook-express", hdr(Content_Type="text/plain; charset=unicode-1-1-utf-7", Content_Transfer_Encoding="7bit",
                                         Subject="=?unicode-1-1-utf-7?Q?Caf+AOk- ferm+AOk-?=")
    + "\nLe caf+AOk- est ferm+AOk- et l'imprimante bloque +IBQ- encore.\n",
    {"subject": "Café fermé", "text": "Le café est fermé et l'imprimante bloque — encore."})
msg("charset-x-mac-roman", hdr(Content_Type="text/plain; charset=x-mac-roman", Content_Transfer_Encoding="8bit").encode()
    + b"\n" + "Caf\u00e9 \u2013 na\u00efve \u2122".encode("mac_roman") + b"\n", {"text": "Café – naïve ™"})
msg("latin1-label-windows-quotes", hdr(Content_Type="text/plain; charset=iso-8859-1", Content_Transfer_Encoding="8bit").encode()
    + b"\n" + "\u201cIt still jams\u201d \u2013 d\u00e9j\u00e0 vu \u20ac20".encode("cp1252") + b"\n",
    {"text": "\u201cIt still jams\u201d \u2013 d\u00e9j\u00e0 vu \u20ac20"})
msg("whole-from-encoded", hdr(From="=?utf-8?B?%s?=" % base64.b64encode("Jörg Müller <jorg@acme.example>".encode()).decode())
    + "\nA bulk mailer encoded the whole field.\n",
    {"from": "Jörg Müller <jorg@acme.example>", "from_address": "jorg@acme.example"})

# ------------------------------------------------------------------------------------------
def iso(dt):
    dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def addr_list(values):
    out = []
    for name, address in email.utils.getaddresses(values):
        if not address or "@" not in address and not name:
            continue
        if not address:
            continue
        name = " ".join(str(email.header.make_header(email.header.decode_header(name))).split()) if name else ""
        out.append(("%s <%s>" % (name, address.lower())) if name else address.lower())
    return out


def norm_text(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.rstrip("\n \t")


def first_address(m):
    for header in ("From", "Sender"):
        pairs = [p for p in email.utils.getaddresses(m.get_all(header) or []) if p[1]]
        if pairs:
            return pairs[0][1].lower()
    return None


EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "application/pdf": "pdf", "text/plain": "txt",
              "text/html": "html", "message/delivery-status": "txt", "text/rfc822-headers": "txt", "text/calendar": "ics",
              "application/pgp-signature": "asc"}


def sha(data):
    return hashlib.sha256(data).hexdigest()


def reference(raw):
    m = email.message_from_bytes(raw, policy=email.policy.compat32)
    def h(name):
        v = m.get(name)
        if v is None:
            return None
        try:
            return str(email.header.make_header(email.header.decode_header(" ".join(str(v).split()))))
        except LookupError:
            return str(v)  # a charset Python does not know; the message's spec gives the expected value
    frm = addr_list(m.get_all("From") or []) or addr_list(m.get_all("Sender") or [])
    to = addr_list(m.get_all("To") or [])
    cc = addr_list(m.get_all("Cc") or [])
    ids = lambda v: [x.strip("<>") for x in (v or "").replace(",", " ").split() if "@" in x]
    date = None
    if m.get("Date"):
        try:
            date = iso(email.utils.parsedate_to_datetime(m.get("Date")))
        except Exception:
            date = None
    texts, html, atts = [], None, []
    for part in m.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disp = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "us-ascii"
        def dec(b):
            cs = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "utf-8", "gb2312": "gb18030", "gbk": "gb18030",
                  "shift_jis": "cp932", "euc-kr": "cp949", "big5": "big5hkscs", "iso-2022-jp": "iso2022_jp_2"}.get(charset, charset)
            try:
                return b.decode(cs)
            except Exception:
                return b.decode("utf-8", "replace")
        if ctype == "text/plain" and disp != "attachment":
            texts.append(norm_text(dec(payload)))
        elif ctype == "text/html" and disp != "attachment":
            value = norm_text(dec(payload))
            html = value if html is None else html + "\n" + value
        else:
            name = part.get_filename()
            if name is not None:
                name = str(email.header.make_header(email.header.decode_header(str(name))))
            atts.append([name, ctype, payload])
    return {
        "from": frm[0] if frm else None,
        "from_address": first_address(m),
        "to": to, "cc": cc, "subject": " ".join((h("Subject") or "").split()),
        "message_id": (ids(m.get("Message-ID")) or [None])[0],
        "in_reply_to": (ids(m.get("In-Reply-To")) or [None])[0],
        "references": ids(" ".join(m.get_all("References") or [])),
        "date": date, "text": "\n\n".join(t for t in texts), "html": html, "attachments": atts,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))
    for number, (name, raw, expect) in enumerate(CORPUS, start=1):
        base = "%03d-%s" % (number, name)
        with open(os.path.join(OUT, base + ".eml"), "wb") as f:
            f.write(raw)
        ref = reference(raw)
        for key, value in expect.items():
            ref[key] = value
        if ref["attachments"] == "computed-inner":
            inner = raw.split(b"Content-Disposition: attachment\r\n\r\n", 1)[1].rsplit(b"\r\n--fw--", 1)[0]
            ref["attachments"] = [["Original problem.eml", "message/rfc822", inner]]
        ref["attachments"] = [
            {"filename": (n or "attachment-%d.%s" % (i + 1, EXTENSIONS.get(t, "bin"))), "content_type": t, "size": len(d), "sha256": sha(d)}
            for i, (n, t, d) in enumerate(ref["attachments"])
        ]
        with open(os.path.join(OUT, base + ".json"), "w") as f:
            json.dump(ref, f, indent=2, sort_keys=True, ensure_ascii=False)
            f.write("\n")
    print("wrote %d messages to %s" % (len(CORPUS), OUT))


if __name__ == "__main__":
    main()
