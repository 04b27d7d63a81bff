/// Escaping for HTML text and attribute values, and decoding of the references that matter for links.
public enum HTMLEntities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "colon": ":",
        "tab": "\t", "newline": "\n", "sol": "/", "lpar": "(", "rpar": ")", "period": ".", "comma": ",",
        "copy": "©", "reg": "®", "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’",
        "ldquo": "“", "rdquo": "”", "euro": "€", "pound": "£", "bull": "•",
    ]

    /// HTML 4's Latin-1 and typographic names, as mail from Outlook and web forms writes accented text (`&eacute;`).
    /// Case matters here (`&Eacute;` is É); the table above is matched in any case, as browsers match those.
    static let latin: [String: String] = [
        "iexcl": "¡", "cent": "¢", "pound": "£", "curren": "¤", "yen": "¥", "brvbar": "¦", "sect": "§", "uml": "¨",
        "copy": "©", "ordf": "ª", "laquo": "«", "not": "¬", "shy": "\u{AD}", "reg": "®", "macr": "¯", "deg": "°",
        "plusmn": "±", "sup2": "²", "sup3": "³", "acute": "´", "micro": "µ", "para": "¶", "middot": "·", "cedil": "¸",
        "sup1": "¹", "ordm": "º", "raquo": "»", "frac14": "¼", "frac12": "½", "frac34": "¾", "iquest": "¿",
        "Agrave": "À", "Aacute": "Á", "Acirc": "Â", "Atilde": "Ã", "Auml": "Ä", "Aring": "Å", "AElig": "Æ",
        "Ccedil": "Ç", "Egrave": "È", "Eacute": "É", "Ecirc": "Ê", "Euml": "Ë", "Igrave": "Ì", "Iacute": "Í",
        "Icirc": "Î", "Iuml": "Ï", "ETH": "Ð", "Ntilde": "Ñ", "Ograve": "Ò", "Oacute": "Ó", "Ocirc": "Ô",
        "Otilde": "Õ", "Ouml": "Ö", "times": "×", "Oslash": "Ø", "Ugrave": "Ù", "Uacute": "Ú", "Ucirc": "Û",
        "Uuml": "Ü", "Yacute": "Ý", "THORN": "Þ", "szlig": "ß", "agrave": "à", "aacute": "á", "acirc": "â",
        "atilde": "ã", "auml": "ä", "aring": "å", "aelig": "æ", "ccedil": "ç", "egrave": "è", "eacute": "é",
        "ecirc": "ê", "euml": "ë", "igrave": "ì", "iacute": "í", "icirc": "î", "iuml": "ï", "eth": "ð", "ntilde": "ñ",
        "ograve": "ò", "oacute": "ó", "ocirc": "ô", "otilde": "õ", "ouml": "ö", "divide": "÷", "oslash": "ø",
        "ugrave": "ù", "uacute": "ú", "ucirc": "û", "uuml": "ü", "yacute": "ý", "thorn": "þ", "yuml": "ÿ",
        "OElig": "Œ", "oelig": "œ", "Scaron": "Š", "scaron": "š", "Yuml": "Ÿ", "fnof": "ƒ", "circ": "ˆ", "tilde": "˜",
        "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}", "zwnj": "\u{200C}", "zwj": "\u{200D}",
        "lrm": "\u{200E}", "rlm": "\u{200F}", "sbquo": "‚", "bdquo": "„", "dagger": "†", "Dagger": "‡", "permil": "‰",
        "lsaquo": "‹", "rsaquo": "›", "trade": "™", "minus": "−", "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓",
        "harr": "↔", "le": "≤", "ge": "≥", "ne": "≠", "infin": "∞", "asymp": "≈", "check": "✓",
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
        return latin[String(reference)] ?? named[reference.lowercased()]
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
