@testable import CasebookMail
import Foundation
import Testing

@Suite("IMAP protocol pieces")
struct IMAPProtocolTests {
    @Test("responses are split whole, with literals read as bytes even when they arrive a byte at a time")
    func reader() throws {
        let body = "From: a@b.example\r\nSubject: {5}\r\n\r\nhello\r\n"
        let stream = "* OK [CAPABILITY IMAP4rev1 IDLE] ready\r\n* 3 EXISTS\r\n* 2 FETCH (UID 41 RFC822.SIZE \(body.utf8.count) BODY[] {\(body.utf8.count)}\r\n\(body))\r\n"
            + "+ idling\r\nA7 OK [READ-WRITE] SELECT completed\r\n"
        for chunk in [Array(stream.utf8).count, 1, 7] {
            var reader = IMAPResponseReader()
            var responses: [IMAPResponse] = []
            var offset = 0
            let bytes = Array(stream.utf8)
            while offset < bytes.count {
                reader.add(bytes[offset..<min(offset + chunk, bytes.count)])
                offset += chunk
                while let response = try reader.next() { responses.append(response) }
            }
            #expect(responses.count == 5, "chunk \(chunk)")
            #expect(responses[0].capabilities == ["IMAP4REV1", "IDLE"] && responses[0].status == "OK")
            #expect(responses[1].numbered?.number == 3 && responses[1].numbered?.name == "EXISTS")
            let items = try #require(responses[2].fetchItems)
            #expect(items["UID"]?.number == 41 && items["RFC822.SIZE"]?.number == UInt32(body.utf8.count))
            #expect(items["BODY[]"]?.bytes == Array(body.utf8), "a literal holding {5} and CRLFs is taken byte for byte")
            #expect(responses[3].kind == .continuation && responses[3].text == "idling")
            #expect(responses[4].kind == .tagged("A7") && responses[4].status == "OK" && responses[4].statusText == "SELECT completed")
            #expect(responses[4].responseCode?.name == "READ-WRITE")
        }
    }

    @Test("FETCH data: quoted strings with escapes, NIL, nested lists and section names with spaces")
    func fetchValues() throws {
        var reader = IMAPResponseReader()
        reader.add(Array(#"* 1 FETCH (FLAGS (\Seen $Forwarded) UID 7 BODY[HEADER.FIELDS (FROM TO)] "a \"quoted\" \\ text" X NIL)"#.utf8) + [13, 10])
        let items = try #require(try reader.next()?.fetchItems)
        #expect(items["FLAGS"] == .list([.atom("\\Seen"), .atom("$Forwarded")]))
        #expect(items["UID"]?.number == 7)
        #expect(items["BODY[HEADER.FIELDS (FROM TO)]"]?.bytes == Array(#"a "quoted" \ text"#.utf8))
        #expect(items["X"] == .null)
    }

    @Test("a hostile server cannot make the reader hold unbounded lines or literals")
    func limits() throws {
        var reader = IMAPResponseReader()
        reader.add(Array("* 1 FETCH (BODY[] {999999999999}\r\n".utf8))
        #expect(throws: IMAPProtocolError.self) { try reader.next() }
        var endless = IMAPResponseReader()
        endless.add([UInt8](repeating: UInt8(ascii: "a"), count: IMAPResponseReader.maxLine + 1))
        #expect(throws: IMAPProtocolError.lineTooLong) { try endless.next() }
    }

    @Test("UID SEARCH results, UID sets, quoting and SASL answers")
    func commandText() throws {
        var reader = IMAPResponseReader()
        reader.add(Array("* SEARCH 4 9 10\r\n* SEARCH\r\n".utf8))
        #expect(try reader.next()?.searchResults == [4, 9, 10])
        #expect(try reader.next()?.searchResults == [])
        #expect(IMAPCommandText.uidSet([7, 1, 2, 3, 9, 10, 3]) == "1:3,7,9:10")
        #expect(IMAPCommandText.quoted(#"pa"ss\word"#) == #""pa\"ss\\word""#)
        #expect(IMAPCommandText.quoted("two\r\nlines") == nil && IMAPCommandText.quoted("mötley") == nil)
        #expect(Data(base64Encoded: IMAPCommandText.saslPlain(user: "support", password: "pässword")) == Data("\0support\0pässword".utf8))
        #expect(Data(base64Encoded: IMAPCommandText.xoauth2(user: "a@b.example", accessToken: "tok"))
                == Data("user=a@b.example\u{1}auth=Bearer tok\u{1}\u{1}".utf8))
    }

    @Test("folder names in modified UTF-7 (RFC 3501 §5.1.3)")
    func mailboxNames() {
        #expect(IMAPCommandText.mailbox("INBOX") == "\"INBOX\"")
        #expect(IMAPCommandText.mailbox("Entwürfe") == "\"Entw&APw-rfe\"")
        #expect(IMAPCommandText.mailbox("Tom & Jerry") == "\"Tom &- Jerry\"")
        #expect(IMAPCommandText.mailbox("~peter/mail/台北/日本語") == "\"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"")
    }
}
