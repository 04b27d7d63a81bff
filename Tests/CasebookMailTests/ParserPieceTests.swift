@testable import CasebookMail
import Foundation
import Testing

@Suite("Header pieces: encoded words, parameters, addresses, dates")
struct ParserPieceTests {
    @Test("RFC 2047 words decode, and adjacent words join across whitespace")
    func encodedWords() {
        #expect(EncodedWords.decode("=?UTF-8?B?Q2Fmw6k=?=") == "Café")
        #expect(EncodedWords.decode("=?iso-8859-1?Q?Caf=E9_cr=E8me?=") == "Café crème")
        #expect(EncodedWords.decode("=?UTF-8?Q?a?= =?UTF-8?Q?b?=") == "ab")
        #expect(EncodedWords.decode("Re: =?UTF-8?Q?a?= and =?UTF-8?Q?b?=") == "Re: a and b")
        // A multibyte character split across two words survives.
        #expect(EncodedWords.decode("=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=") == "éé")
        #expect(EncodedWords.decode("=?UTF-8?B?4oKs?=") == "€")
        #expect(EncodedWords.decode("=?utf-8*en?Q?hi?=") == "hi")
    }

    @Test("malformed encoded words stay as written", arguments: ["=?UTF-8?X?abc?=", "=?UTF-8?Q?unterminated", "=??Q?x?=", "plain =? text"])
    func malformedWords(text: String) {
        #expect(EncodedWords.decode(text) == text)
    }

    @Test("parameters: quotes, comments, RFC 2231 continuations and charsets")
    func parameters() {
        let plain = HeaderParameters(#"Text/Plain; charset="UTF-8" (comment); format=flowed"#)
        #expect(plain.value == "text/plain" && plain["charset"] == "UTF-8" && plain["format"] == "flowed")
        let continued = HeaderParameters("attachment; filename*0*=UTF-8''na%C3%AFve%20; filename*1=report.pdf")
        #expect(continued["filename"] == "naïve report.pdf")
        let latin = HeaderParameters("attachment; filename*=iso-8859-1'fr'r%E9sum%E9.txt")
        #expect(latin["filename"] == "résumé.txt")
        let escaped = HeaderParameters(#"inline; filename="a \"quoted\" name.txt""#)
        #expect(escaped["filename"] == #"a "quoted" name.txt"#)
    }

    @Test("addresses: display names, quotes, comments, groups and routes")
    func addresses() {
        let list = AddressParser.parse(#""Doe, Jane" <Jane@Example.COM>, bob@example.org (Bob Smith), Team: a@x.example, b@x.example;, <@relay.example:c@y.example>"#)
        #expect(list.map(\.address) == ["jane@example.com", "bob@example.org", "a@x.example", "b@x.example", "c@y.example"])
        #expect(list[0].name == "Doe, Jane")
        #expect(list[1].name == "Bob Smith")
        let encoded = AddressParser.parse("=?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <jose@example.es>")
        #expect(encoded.first == MailAddress(name: "José Pérez", address: "jose@example.es"))
        #expect(AddressParser.parse("undisclosed-recipients:;").isEmpty)
        #expect(AddressParser.parse("").isEmpty)
    }

    @Test("dates in current and obsolete forms", arguments: [
        ("Sun, 22 Nov 2026 10:15:00 +0100", "2026-11-22T09:15:00.000Z"),
        ("22 Nov 2026 10:15 GMT", "2026-11-22T10:15:00.000Z"),
        ("Sun, 22 Nov 26 10:15:00 EST", "2026-11-22T15:15:00.000Z"),
        ("Sunday, 22-Nov-2026 10:15:00 -0000 (UTC)", "2026-11-22T10:15:00.000Z"),
        ("Nov 22 2026 10:15:00 +0000", "2026-11-22T10:15:00.000Z"),
    ])
    func dates(raw: String, expected: String) {
        let date = MailDate.parse(raw)
        #expect(date.map(CasebookMailTestsSupport.format) == expected)
    }

    @Test("nonsense dates give nil", arguments: ["", "yesterday", "32 Nov 2026 10:00", "22 Foo 2026 10:00:00", "31 Feb 2026 10:00:00 +0000"])
    func badDates(raw: String) {
        #expect(MailDate.parse(raw) == nil)
    }

    @Test("Message-ID lists tolerate commas, comments and missing brackets")
    func messageIDs() {
        #expect(MessageIDs.parse("<a@b> (comment) <c@d>,<e@f>") == ["a@b", "c@d", "e@f"])
        #expect(MessageIDs.parse("bare@id.example") == ["bare@id.example"])
    }
}

@Suite("Transfer encodings and charsets")
struct EncodingTests {
    @Test("base64 skips junk and handles concatenated blocks")
    func base64() {
        #expect(TransferEncoding.base64(Array("SGVs\r\nbG8=\n!!".utf8)[...]) == Array("Hello".utf8))
        #expect(TransferEncoding.base64(Array("SGk=SGk=".utf8)[...]) == Array("HiHi".utf8))
    }

    @Test("quoted-printable: soft breaks, hex, and malformed escapes kept")
    func quotedPrintable() {
        #expect(TransferEncoding.quotedPrintable(Array("caf=C3=A9 =\r\nlong=\nline =ZZ end=".utf8)[...]) == Array("café longline =ZZ end=".utf8))
    }

    @Test("every required charset converts", arguments: [
        ("iso-8859-1", [0x63, 0x61, 0x66, 0xE9], "café"),
        ("iso-8859-2", [0xB1], "ą"),
        ("iso-8859-5", [0xD0], "а"),
        ("iso-8859-7", [0xE1], "α"),
        ("iso-8859-15", [0xA4], "€"),
        ("windows-1250", [0x9A], "š"),
        ("windows-1251", [0xE0], "а"),
        ("windows-1252", [0x80], "€"),
        ("windows-1253", [0xE1], "α"),
        ("windows-1254", [0xF0], "ğ"),
        ("windows-1255", [0xE0], "א"),
        ("windows-1256", [0xC7], "ا"),
        ("windows-1257", [0xE0], "ą"),
        ("windows-1258", [0xE0], "à"),
        ("koi8-r", [0xC1], "а"),
        ("koi8-u", [0xA4], "є"),
        ("shift_jis", [0x82, 0xA0], "あ"),
        ("euc-jp", [0xA4, 0xA2], "あ"),
        ("iso-2022-jp", [0x1B, 0x24, 0x42, 0x24, 0x22, 0x1B, 0x28, 0x42], "あ"),
        ("gb2312", [0xC4, 0xE3], "你"),
        ("gbk", [0xC4, 0xE3], "你"),
        ("gb18030", [0xC4, 0xE3], "你"),
        ("big5", [0xA7, 0x41], "你"),
        ("euc-kr", [0xB0, 0xA1], "가"),
        ("utf-16", [0xFF, 0xFE, 0x41, 0x00], "A"),
        ("utf-16be", [0x00, 0x41], "A"),
        ("us-ascii", [0x41], "A"),
        ("utf-8", [0xE2, 0x82, 0xAC], "€"),
    ] as [(String, [UInt8], String)])
    func charsets(label: String, bytes: [UInt8], expected: String) {
        #expect(Charset.decode(bytes, charset: label) == expected)
    }

    @Test("mislabelled and unknown charsets fall back instead of failing")
    func fallbacks() {
        #expect(Charset.decode([0x63, 0x61, 0x66, 0xE9], charset: "utf-8") == "café", "Latin-1 sent as UTF-8")
        #expect(Charset.decode(Array("café".utf8), charset: "x-made-up") == "café", "unknown label, valid UTF-8")
        #expect(Charset.decode([0x63, 0xE9], charset: "x-made-up") == "cé", "unknown label, 8-bit")
        #expect(Charset.decode([0x82], charset: "shift_jis").contains("\u{FFFD}"), "truncated multibyte becomes U+FFFD")
    }
}

/// Formats dates the way the JSON output does.
enum CasebookMailTestsSupport {
    static func format(_ date: Date) -> String { MailSummary(MailMessage(date: date)).date ?? "" }
}

@Suite("Message author")
struct MessageAuthorTests {
    @Test("From wins; without it Sender, then the Return-Path a receiving server recorded")
    func fallbacks() {
        let full = MailParser.parse(Data("From: A <a@x.example>\r\nSender: s@x.example\r\nReturn-Path: <r@x.example>\r\n\r\nhi\r\n".utf8))
        #expect(full.author?.address == "a@x.example")
        let sender = MailParser.parse(Data("Sender: S <s@x.example>\r\nReturn-Path: <r@x.example>\r\n\r\nhi\r\n".utf8))
        #expect(sender.author?.address == "s@x.example" && sender.author?.name == "S")
        let envelope = MailParser.parse(Data("Return-Path: <r@x.example>\r\nSubject: no from\r\n\r\nhi\r\n".utf8))
        #expect(envelope.author?.address == "r@x.example")
        #expect(MailParser.parse(Data("Return-Path: <>\r\n\r\nhi\r\n".utf8)).author == nil, "a bounce's empty path names nobody")
    }
}
