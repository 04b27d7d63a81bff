/// Escaping for HTML text and attribute values, and decoding of the references that matter for links.
public enum HTMLEntities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "colon": ":",
        "tab": "\t", "newline": "\n", "sol": "/", "lpar": "(", "rpar": ")", "period": ".", "comma": ",",
        "copy": "©", "reg": "®", "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’",
        "ldquo": "“", "rdquo": "”", "euro": "€", "pound": "£", "bull": "•",
    ]

    /// Escapes text so it can sit in element content or a double-quoted attribute.
    public static func escape(_ text: String) -> String {
        // Most values (names, times, ids) need nothing: they are returned as they are, without a copy.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Decodes numeric references and common named ones; unknown ones stay as written.
    public static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            let candidate = after.prefix(34)
            if let semicolon = candidate.firstIndex(of: ";"), let value = resolve(after[..<semicolon]) {
                result += value
                rest = after[after.index(after: semicolon)...]
            } else if let (value, length) = resolveUnterminatedNumber(after) {
                result += value
                rest = after.dropFirst(length)
            } else {
                result += "&"
                rest = after
            }
        }
        return result + rest
    }

    private static func resolve(_ reference: Substring) -> String? {
        if reference.hasPrefix("#") {
            return scalar(from: reference.dropFirst())
        }
        return named[reference.lowercased()]
    }

    /// Browsers accept `&#106` without a semicolon; attackers rely on that inside `href`.
    private static func resolveUnterminatedNumber(_ text: Substring) -> (String, Int)? {
        guard text.hasPrefix("#") else { return nil }
        let body = text.dropFirst()
        let isHex = body.first == "x" || body.first == "X"
        let digits = (isHex ? body.dropFirst() : body).prefix { isHex ? $0.isHexDigit : $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = scalar(from: isHex ? "x" + digits : digits) else { return nil }
        return (value, 1 + (isHex ? 1 : 0) + digits.count)
    }

    private static func scalar(from number: Substring) -> String? {
        let code: UInt32?
        if number.first == "x" || number.first == "X" {
            code = UInt32(number.dropFirst().prefix(8), radix: 16)
        } else {
            code = UInt32(number.prefix(9))
        }
        guard let code, code != 0, let scalar = Unicode.Scalar(code) else { return nil }
        return String(Character(scalar))
    }
}
