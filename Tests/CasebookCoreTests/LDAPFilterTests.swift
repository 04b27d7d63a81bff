import CasebookCore
import Testing

@Suite("LDAP filters and BER")
struct LDAPFilterTests {
    @Test("a typed login cannot change a filter: *, parentheses, backslash and NUL are escaped")
    func escaping() throws {
        #expect(LDAPFilter.escape("ann") == "ann")
        #expect(LDAPFilter.escape("*") == "\\2a")
        #expect(LDAPFilter.escape("dana)(uid=*") == "dana\\29\\28uid=\\2a")
        #expect(LDAPFilter.escape("a\\b\u{0}") == "a\\5cb\\00")
        #expect(LDAPFilter.escape("José") == "José")
        let filled = LDAPFilter.fill("(|(uid={login})(mail={login}))", ["login": "x)(objectClass=*"])
        #expect(filled == "(|(uid=x\\29\\28objectClass=\\2a)(mail=x\\29\\28objectClass=\\2a))")
        // Still one OR of two equality matches: the value went in as a value.
        let element = try LDAPFilter.encode(filled)
        #expect(element.tag == 0xA1)
        let branches = try element.children()
        #expect(branches.count == 2 && branches.allSatisfy { $0.tag == 0xA3 })
        #expect(try branches[0].children()[1].string == "x)(objectClass=*")
    }

    @Test("filling is one pass and escapes once: a value holding a placeholder or a backslash stays that value")
    func fillingOnce() {
        #expect(LDAPFilter.fill("(uid={login})", ["login": "{login}"]) == "(uid={login})")
        #expect(LDAPFilter.fill("(member={dn})", ["dn": "cn=Smith\\, Ann,dc=x"]) == "(member=cn=Smith\\5c, Ann,dc=x)")
        #expect(LDAPFilter.fill("(&(a={a})(b={b}))", ["a": "{b}", "b": "2"]) == "(&(a={b})(b=2))")
        #expect(LDAPFilter.fill("(cn={unknown}{)", ["login": "x"]) == "(cn={unknown}{)")
    }

    @Test("filters encode as RFC 4511 says: and, or, not, equality, presence, substrings, ordering")
    func encoding() throws {
        let presence = try LDAPFilter.encode("(objectClass=*)")
        #expect(presence == BER.octets("objectClass", tag: 0x87))
        let equality = try LDAPFilter.encode("(uid=ann)")
        #expect(equality.encoded == [0xA3, 0x0A, 0x04, 0x03] + Array("uid".utf8) + [0x04, 0x03] + Array("ann".utf8))
        let both = try LDAPFilter.encode("(&(objectClass=person)(!(uid=bob)))")
        let tags = try both.children().map(\.tag)
        #expect(both.tag == 0xA0 && tags == [0xA3, 0xA2])
        let substrings = try LDAPFilter.encode("(cn=Ann*Lee*)")
        #expect(substrings.tag == 0xA4)
        let pieces = try substrings.children()[1].children()
        #expect(pieces.map(\.tag) == [0x80, 0x81] && pieces.map(\.string) == ["Ann", "Lee"])
        #expect(try LDAPFilter.encode("(uidNumber>=1000)").tag == 0xA5)
        #expect(try LDAPFilter.encode("(uidNumber<=1000)").tag == 0xA6)
    }

    @Test("broken filters are refused with a reason, not guessed at", arguments: ["", "uid=ann", "(uid=ann", "(uid=ann))", "(&)", "(=ann)", "(uid=a\\zz)", "(|(uid=a)(mail=b)"])
    func refused(text: String) {
        #expect(throws: LDAPError.self) { try LDAPFilter.encode(text) }
    }

    @Test("BER elements round-trip, lengths use the long form past 127 bytes, and partial input waits for more")
    func ber() throws {
        for value in [0, 1, 127, 128, 255, 256, 65_535, -1, -129, Int(Int32.max)] {
            let element = BER.int(value)
            let (read, used) = try #require(try BER.read(element.encoded))
            #expect(read.int == value && used == element.encoded.count)
        }
        let long = BER.octets(String(repeating: "x", count: 300))
        #expect(Array(long.encoded.prefix(4)) == [0x04, 0x82, 0x01, 0x2C])
        #expect(try BER.read(Array(long.encoded.prefix(200))) == nil)
        let sequence = BER.constructed(BER.sequence, [BER.int(7), BER.octets("hi"), BER.bool(true)])
        let (back, _) = try #require(try BER.read(sequence.encoded + [0x30]))
        #expect(try back.children() == [BER.int(7), BER.octets("hi"), BER.bool(true)])
    }

    @Test("hostile BER is refused: multi-byte tags, huge or overlong lengths, children running past their parent")
    func hostile() throws {
        #expect(throws: LDAPError.self) { try BER.read([0x1F, 0x01, 0x00]) }
        #expect(throws: LDAPError.self) { try BER.read([0x04, 0x85, 1, 0, 0, 0, 0]) }
        #expect(throws: LDAPError.self) { try BER.read([0x04, 0x84, 0x7F, 0xFF, 0xFF, 0xFF]) }
        let broken = BER.Element(tag: BER.sequence, contents: [0x04, 0x05, 0x61])
        #expect(throws: LDAPError.self) { try broken.children() }
    }
}
