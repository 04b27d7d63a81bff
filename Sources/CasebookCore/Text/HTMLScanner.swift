extension HTMLSanitizer {
    /// A forward-only cursor over Unicode scalars with the few reads the sanitiser needs.
    struct Scanner {
        let scalars: [Unicode.Scalar]
        var position = 0
        var count: Int { scalars.count }

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            let index = position + offset
            return index < scalars.count ? scalars[index] : nil
        }

        mutating func advance(_ steps: Int = 1) { position = min(position + steps, scalars.count) }

        /// Consumes `literal` (ASCII, case-insensitive) when it comes next.
        mutating func consume(_ literal: String) -> Bool {
            let wanted = Array(literal.lowercased().unicodeScalars)
            guard position + wanted.count <= scalars.count else { return false }
            for (offset, scalar) in wanted.enumerated() where Scanner.lower(scalars[position + offset]) != scalar {
                return false
            }
            position += wanted.count
            return true
        }

        /// Moves past the next `literal`, or to the end when there is none.
        mutating func skip(past literal: String) {
            while position < scalars.count {
                if consume(literal) { return }
                position += 1
            }
        }

        /// Moves past `</name ...>`, or to the end when the element is never closed.
        mutating func skip(pastClosingTag name: String) {
            while position < scalars.count {
                if consume("</\(name)") {
                    if let next = peek(), Scanner.isNameCharacter(next) { continue }
                    skip(past: ">")
                    return
                }
                position += 1
            }
        }

        mutating func readName() -> String? {
            guard let first = peek(), Scanner.isLetter(first) else { return nil }
            var name = String.UnicodeScalarView()
            while let scalar = peek(), Scanner.isNameCharacter(scalar) {
                name.append(Scanner.lower(scalar))
                position += 1
            }
            return String(name)
        }

        /// Reads attributes up to (not including) `>`; stops at the end of input.
        mutating func readAttributes() -> [(String, String)] {
            var attributes: [(String, String)] = []
            while let scalar = peek(), scalar != ">" {
                if Scanner.isSpace(scalar) || scalar == "/" {
                    position += 1
                    continue
                }
                var name = String.UnicodeScalarView()
                while let next = peek(), next != ">", next != "=", next != "/", !Scanner.isSpace(next) {
                    name.append(Scanner.lower(next))
                    position += 1
                }
                skipSpaces()
                var value = ""
                if peek() == "=" {
                    position += 1
                    skipSpaces()
                    value = readAttributeValue()
                }
                if !name.isEmpty { attributes.append((String(name), value)) }
            }
            return attributes
        }

        private mutating func readAttributeValue() -> String {
            var value = String.UnicodeScalarView()
            if let quote = peek(), quote == "\"" || quote == "'" {
                position += 1
                while let scalar = peek(), scalar != quote {
                    value.append(scalar)
                    position += 1
                }
                advance()
            } else {
                while let scalar = peek(), scalar != ">", !Scanner.isSpace(scalar) {
                    value.append(scalar)
                    position += 1
                }
            }
            return String(value)
        }

        private mutating func skipSpaces() {
            while let scalar = peek(), Scanner.isSpace(scalar) { position += 1 }
        }

        /// Whether the text after an `&` (already consumed) forms a character reference.
        func looksLikeEntity() -> Bool {
            var index = position
            var length = 0
            if index < scalars.count, scalars[index] == "#" {
                index += 1
                let hex = index < scalars.count && (scalars[index] == "x" || scalars[index] == "X")
                if hex { index += 1 }
                while index < scalars.count, length < 8,
                      hex ? scalars[index].properties.isASCIIHexDigit : ("0"..."9").contains(scalars[index]) {
                    index += 1
                    length += 1
                }
            } else {
                while index < scalars.count, length < 32, Scanner.isLetter(scalars[index]) || ("0"..."9").contains(scalars[index]) {
                    index += 1
                    length += 1
                }
            }
            return length > 0 && index < scalars.count && scalars[index] == ";"
        }

        static func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) }
        static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
            isLetter(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == ":"
        }
        static func isSpace(_ scalar: Unicode.Scalar) -> Bool { [" ", "\t", "\n", "\r", "\u{0C}"].contains(scalar) }
        static func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
            ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
        }
    }
}
