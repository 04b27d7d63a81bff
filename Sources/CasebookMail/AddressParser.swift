import Foundation
/// Parses RFC 5322 address lists, including obsolete and sloppy forms real mail contains.
enum AddressParser {
    static let maxAddresses = 1000

    static func parse(_ raw: String) -> [MailAddress] {
        let found = parseList(raw)
        // Some bulk mailers encode the whole field, address and all (`From: =?utf-8?B?…?=`): read what it decodes to.
        guard raw.contains("=?"), !found.contains(where: { $0.address.contains("@") }) else { return found }
        let decoded = parseList(EncodedWords.decode(raw))
        return decoded.contains(where: { $0.address.contains("@") }) ? decoded : found
    }

    private static func parseList(_ raw: String) -> [MailAddress] {
        var result: [MailAddress] = []
        var phrase = ""
        var angle: String?
        var comment: String?
        var characters = Array(raw)
        if characters.count > 100_000 { characters = Array(characters.prefix(100_000)) }
        var index = 0
        // Where the last quote mark stands: one at or after it has no partner to close it.
        let lastQuote = characters.lastIndex(of: "\"") ?? 0

        func finish() {
            defer { phrase = ""; angle = nil; comment = nil }
            guard result.count < maxAddresses else { return }
            let text = collapse(phrase)
            if let angle {
                let address = cleanAddress(angle)
                guard !address.isEmpty else { return }
                let name = collapse(EncodedWords.decode(text))
                result.append(MailAddress(name: name.isEmpty ? comment.map { collapse(EncodedWords.decode($0)) } : name, address: address))
            } else if !text.isEmpty {
                // A bare addr-spec, perhaps with a display name in a comment: `joe@example.com (Joe)`; or a name
                // written before it without the brackets (`Joe Bloggs joe@example.com`), which is not run into it.
                var (address, written) = (cleanAddress(text), nil as String?)
                let words = text.split(separator: " ")
                if words.count > 1, let at = words.lastIndex(where: isWholeAddress), words.filter({ $0.contains("@") }).count == 1 {
                    address = cleanAddress(String(words[at]))
                    written = collapse(EncodedWords.decode(words.enumerated().filter { $0.offset != at }.map { String($0.element) }.joined(separator: " ")))
                }
                guard address.contains("@") || !address.contains(" ") else { return }
                let name = comment.map { collapse(EncodedWords.decode($0)) } ?? written
                result.append(MailAddress(name: name?.isEmpty == false ? name : nil, address: address))
            }
        }

        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\"" where index >= lastQuote:
                // An opening quote never closed (`"Ann Smith <ann@example.com>`): a stray mark, not a quoted name.
                break
            case ">" where angle != nil:
                // A stray closing bracket after the address (`<ann@example.com>>`).
                break
            case "\"":
                index += 1
                var escaped = false
                while index < characters.count {
                    let inner = characters[index]
                    if escaped { phrase.append(inner); escaped = false }
                    else if inner == "\\" { escaped = true }
                    else if inner == "\"" { break }
                    else { phrase.append(inner) }
                    index += 1
                }
                phrase.append(" ")
            case "(":
                var depth = 1
                var text = ""
                index += 1
                while index < characters.count, depth > 0 {
                    let inner = characters[index]
                    if inner == "\\", index + 1 < characters.count { text.append(characters[index + 1]); index += 2; continue }
                    if inner == "(" { depth += 1 }
                    if inner == ")" { depth -= 1; if depth == 0 { break } }
                    text.append(inner)
                    index += 1
                }
                if comment == nil { comment = text }
            case "<":
                var text = ""
                index += 1
                while index < characters.count, characters[index] != ">" {
                    text.append(characters[index])
                    index += 1
                }
                angle = text
            case ":":
                if angle == nil, !phrase.contains("@") {
                    phrase = ""  // a group name
                } else {
                    phrase.append(character)
                }
            case ";":
                finish()
            case ",":
                finish()
            case "=" where angle == nil:
                // An encoded word is one token: a comma or a colon inside one (`=?utf-8?Q?Smith,_Ann?=`, as some
                // clients write) does not end the address or start a group.
                if let end = encodedWordEnd(characters, from: index) {
                    phrase += String(characters[index...end])
                    index = end
                } else {
                    phrase.append(character)
                }
            default:
                phrase.append(character)
            }
            index += 1
        }
        finish()
        return result
    }

    /// Where the encoded word starting at `start` (`=?charset?Q?text?=`) ends, if one does within 300 characters.
    static func encodedWordEnd(_ characters: [Character], from start: Int) -> Int? {
        guard start + 1 < characters.count, characters[start + 1] == "?" else { return nil }
        var marks = 0
        var index = start + 2
        while index < min(characters.count, start + 300) {
            if characters[index] == "?" {
                marks += 1
                if marks >= 3, index + 1 < characters.count, characters[index + 1] == "=" { return index + 1 }
            } else if characters[index] == "\n" {
                return nil
            }
            index += 1
        }
        return nil
    }

    /// Whether a word is an address on its own (`joe@example.com`), not a piece of one spaced out (`joe @ example.com`).
    static func isWholeAddress(_ word: Substring) -> Bool {
        let sides = word.split(separator: "@", omittingEmptySubsequences: false)
        return sides.count == 2 && !sides[0].isEmpty && sides[1].contains(".")
    }

    /// Strips an obsolete source route (`@a,@b:user@host`), spaces and quotes around the address.
    static func cleanAddress(_ text: String) -> String {
        var address = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if address.hasPrefix("@"), let colon = address.firstIndex(of: ":") {
            address = String(address[address.index(after: colon)...])
        }
        // Spaces are dropped around the parts of an address, but kept inside a quoted local part (`"ann smith"@x`).
        var inQuotes = false
        address = String(address.filter { character in
            if character == "\"" { inQuotes.toggle() }
            return inQuotes || (character != " " && character != "\t")
        })
        if address.hasPrefix("mailto:") { address = String(address.dropFirst(7)) }
        return address.lowercased()
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).joined(separator: " ")
            .trimmingCharacters(in: CharacterSet(charactersIn: " '"))
    }
}
