import Foundation
/// A structured header value such as `text/plain; charset="utf-8"`, with RFC 2231 parameters.
struct HeaderParameters {
    let value: String
    let parameters: [String: String]

    subscript(_ name: String) -> String? { parameters[name.lowercased()] }

    init(_ raw: String) {
        var parts = HeaderParameters.splitOutsideQuotes(raw, separator: ";")
        var first = parts.isEmpty ? "" : HeaderParameters.stripComments(parts.removeFirst()).trimmingCharacters(in: .whitespaces)
        // A parameter written without its semicolon (`text/plain charset=utf-8`) is still a parameter.
        if let space = first.firstIndex(where: { $0 == " " || $0 == "\t" }), first[space...].contains("=") {
            parts.insert(contentsOf: first[space...].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init), at: 0)
            first = String(first[..<space])
        }
        value = first.lowercased()
        var plain: [String: String] = [:]
        var extended: [String: [Int: (value: String, encoded: Bool)]] = [:]
        for part in parts {
            guard let equals = part.firstIndex(of: "=") else { continue }
            var name = part[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let rawValue = HeaderParameters.unquote(part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            guard !name.isEmpty else { continue }
            let encoded = name.hasSuffix("*")
            if encoded { name.removeLast() }
            if let star = name.firstIndex(of: "*"), let section = Int(name[name.index(after: star)...]) {
                extended[String(name[..<star]), default: [:]][section] = (rawValue, encoded)
            } else if encoded {
                extended[name, default: [:]][0] = (rawValue, true)
            } else if plain[name] == nil {
                plain[name] = rawValue
            }
        }
        for (name, sections) in extended {
            plain[name] = HeaderParameters.joinContinuations(sections)
        }
        parameters = plain
    }

    /// Joins `name*0*=utf-8''a%20b; name*1=c` sections; the first encoded section names the charset.
    private static func joinContinuations(_ sections: [Int: (value: String, encoded: Bool)]) -> String {
        var charset: String?
        var bytes: [UInt8] = []
        for key in sections.keys.sorted() {
            guard let (value, encoded) = sections[key] else { continue }
            var text = Substring(value)
            if encoded, key == sections.keys.min() {
                let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if pieces.count == 3 {
                    charset = pieces[0].isEmpty ? nil : String(pieces[0])
                    text = pieces[2]
                }
            }
            bytes += encoded ? percentDecode(text) : Array(text.utf8)
        }
        return Charset.decode(bytes, charset: charset ?? "utf-8")
    }

    private static func percentDecode(_ text: Substring) -> [UInt8] {
        var output: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
               let high = TransferEncoding.hex(utf8[index + 1]), let low = TransferEncoding.hex(utf8[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(utf8[index])
                index += 1
            }
        }
        return output
    }

    static func unquote(_ text: String) -> String {
        guard text.hasPrefix("\""), text.count >= 2 else { return text }
        var output = ""
        var escaped = false
        for character in text.dropFirst() {
            if escaped { output.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "\"" { break }
            output.append(character)
        }
        return output
    }

    static func splitOutsideQuotes(_ text: String, separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" && inQuotes { current.append(character); escaped = true; continue }
            if character == "\"" { inQuotes.toggle() }
            if character == separator && !inQuotes {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// Removes RFC 5322 comments `( … )`, which may nest, outside quoted strings.
    static func stripComments(_ text: String) -> String {
        guard text.contains("(") else { return text }
        var output = ""
        var depth = 0
        var inQuotes = false
        var escaped = false
        for character in text {
            if escaped { if depth == 0 { output.append(character) }; escaped = false; continue }
            if character == "\\" { escaped = true; if depth == 0 { output.append(character) }; continue }
            if depth == 0 && character == "\"" { inQuotes.toggle() }
            if !inQuotes && character == "(" { depth += 1; continue }
            if !inQuotes && character == ")" && depth > 0 { depth -= 1; continue }
            if depth == 0 { output.append(character) }
        }
        return output
    }
}
