/// LDAPv3 requests Casebook sends (RFC 4511) and the responses it reads, as bytes and values.
public enum LDAPRequest: Sendable {
    case bind(name: String, password: String)
    case search(base: String, scope: SearchScope, filter: String, attributes: [String], sizeLimit: Int)
    case startTLS
    case unbind

    public enum SearchScope: Int, Sendable { case base = 0, oneLevel = 1, subtree = 2 }

    public static let startTLSName = "1.3.6.1.4.1.1466.20037"

    /// The whole LDAPMessage with `id`.
    public func encoded(id: Int) throws(LDAPError) -> [UInt8] {
        let operation: BER.Element
        switch self {
        case let .bind(name, password):
            operation = BER.constructed(0x60, [BER.int(3), BER.octets(name), BER.Element(tag: 0x80, contents: Array(password.utf8))])
        case let .search(base, scope, filter, attributes, sizeLimit):
            operation = BER.constructed(0x63, [
                BER.octets(base), BER.int(scope.rawValue, tag: BER.enumerated), BER.int(0, tag: BER.enumerated), BER.int(sizeLimit), BER.int(10),
                BER.bool(false), try LDAPFilter.encode(filter), BER.constructed(BER.sequence, attributes.map { BER.octets($0) })])
        case .startTLS:
            operation = BER.constructed(0x77, [BER.Element(tag: 0x80, contents: Array(Self.startTLSName.utf8))])
        case .unbind:
            operation = BER.Element(tag: 0x42, contents: [])
        }
        return BER.constructed(BER.sequence, [BER.int(id), operation]).encoded
    }
}

/// One message from the directory.
public struct LDAPResponse: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case bindDone, searchEntry, searchReference, searchDone, extendedDone, other(UInt8)
    }

    public var id: Int
    public var kind: Kind
    /// For the done kinds: the result code (0 success, 49 invalid credentials) and the directory's words.
    public var resultCode: Int
    public var message: String
    /// For an entry: its name and attributes.
    public var entry: LDAPEntry?

    /// Whether this ends the exchange its request started.
    public var isFinal: Bool { kind != .searchEntry && kind != .searchReference }

    public init(_ element: BER.Element) throws(LDAPError) {
        let parts = try element.children()
        guard element.tag == BER.sequence, parts.count >= 2 else { throw LDAPError.malformed("a message that is not an LDAPMessage") }
        id = parts[0].int
        let operation = parts[1]
        resultCode = 0
        message = ""
        entry = nil
        switch operation.tag {
        case 0x61: kind = .bindDone
        case 0x64: kind = .searchEntry
        case 0x65: kind = .searchDone
        case 0x73: kind = .searchReference
        case 0x78: kind = .extendedDone
        default: kind = .other(operation.tag)
        }
        if kind == .searchEntry {
            let fields = try operation.children()
            guard let name = fields.first else { throw LDAPError.malformed("an entry without a name") }
            var attributes: [String: [String]] = [:]
            for attribute in try fields.dropFirst().first?.children() ?? [] {
                let pair = try attribute.children()
                guard pair.count == 2 else { continue }
                attributes[pair[0].string.lowercased(), default: []] += try pair[1].children().map(\.string)
            }
            entry = LDAPEntry(dn: name.string, attributes: attributes)
        } else if kind != .searchReference {
            let fields = try operation.children()
            guard fields.count >= 3 else { throw LDAPError.malformed("a result without its code") }
            resultCode = fields[0].int
            message = fields[2].string
        }
    }
}

/// A directory entry: its distinguished name and attributes (names lower-cased).
public struct LDAPEntry: Sendable, Equatable {
    public var dn: String
    public var attributes: [String: [String]]

    public init(dn: String, attributes: [String: [String]]) {
        self.dn = dn
        self.attributes = attributes
    }

    public func first(_ name: String) -> String? { attributes[name.lowercased()]?.first }
    public func all(_ name: String) -> [String] { attributes[name.lowercased()] ?? [] }
}
