/// Reduces untrusted HTML to an allow-list of harmless tags and attributes.
///
/// Anything not on the list is dropped (scripts and styles with their content), every attribute
/// value is re-escaped, links keep only safe schemes, and remote images lose their `src` so they
/// are not fetched until someone chooses to load them (`data-remote-src` keeps the address).
public enum HTMLSanitizer {
    static let allowedTags: Set<String> = [
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s",
        "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "tt", "u", "ul",
    ]
    static let voidTags: Set<String> = ["br", "hr", "img"]
    /// Tags whose content is code or chrome, never text for people.
    static let droppedWithContent: Set<String> = [
        "script", "style", "iframe", "object", "embed", "noscript", "template", "title", "head", "svg", "math",
        "textarea", "select", "xmp", "noembed", "noframes", "frameset", "applet",
    ]
    static let allowedAttributes: [String: Set<String>] = [
        "a": ["href", "title"],
        // `data-remote-src` is what a first pass made of `src`, so sanitising twice keeps the (still blocked) address.
        "img": ["alt", "title", "width", "height", "src", "data-remote-src"],
        "td": ["colspan", "rowspan"],
        "th": ["colspan", "rowspan"],
        "abbr": ["title"],
        "q": ["cite"],
    ]
    static let safeLinkSchemes = ["http://", "https://", "mailto:", "tel:"]

    /// Returns HTML that is safe to place inside a page.
    public static func sanitize(_ html: String) -> String {
        var scanner = Scanner(Array(html.unicodeScalars))
        var output = String.UnicodeScalarView()
        var open: [String] = []
        while let scalar = scanner.peek() {
            if scalar == "<" {
                handleMarkup(&scanner, into: &output, open: &open)
            } else {
                scanner.advance()
                appendText(scalar, scanner: &scanner, into: &output)
            }
        }
        for tag in open.reversed() { output.append(contentsOf: "</\(tag)>".unicodeScalars) }
        return String(output)
    }

    private static func handleMarkup(_ scanner: inout Scanner, into output: inout String.UnicodeScalarView, open: inout [String]) {
        let start = scanner.position
        scanner.advance()
        if scanner.consume("!--") {
            scanner.skip(past: "-->")
            return
        }
        if let next = scanner.peek(), next == "!" || next == "?" {
            scanner.skip(past: ">")
            return
        }
        let closing = scanner.consume("/")
        guard let name = scanner.readName() else {
            scanner.position = start + 1
            output.append(contentsOf: "&lt;".unicodeScalars)
            return
        }
        let attributes = scanner.readAttributes()
        guard scanner.consume(">") else {
            // An unterminated tag at the end of input is dropped with the rest.
            scanner.position = scanner.count
            return
        }
        if droppedWithContent.contains(name) {
            if !closing { scanner.skip(pastClosingTag: name) }
            return
        }
        guard allowedTags.contains(name) else { return }
        if closing {
            guard let index = open.lastIndex(of: name) else { return }
            for tag in open[index...].reversed() { output.append(contentsOf: "</\(tag)>".unicodeScalars) }
            open.removeSubrange(index...)
            return
        }
        output.append(contentsOf: "<\(name)\(renderAttributes(attributes, for: name))>".unicodeScalars)
        if !voidTags.contains(name) { open.append(name) }
    }

    private static func renderAttributes(_ attributes: [(String, String)], for tag: String) -> String {
        let allowed = allowedAttributes[tag] ?? []
        var rendered = ""
        var seen = Set<String>()
        for (name, rawValue) in attributes where allowed.contains(name) && !seen.contains(name) {
            seen.insert(name)
            let value = HTMLEntities.decode(rawValue)
            switch (tag, name) {
            case ("q", "cite"):
                // A URL attribute like href: only web addresses, so no script scheme survives for a script to follow.
                let compact = String(value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }).lowercased()
                guard compact.hasPrefix("https://") || compact.hasPrefix("http://") else { continue }
                rendered += " cite=\"\(HTMLEntities.escape(value))\""
            case ("a", "href"):
                guard isSafeLink(value) else { continue }
                rendered += " href=\"\(HTMLEntities.escape(value))\" rel=\"noopener noreferrer nofollow\""
            case ("img", "src"), ("img", "data-remote-src"):
                // Only web addresses are kept, so "show images" can never turn an address into script.
                let lower = value.trimmingCharacters(in: .whitespaces).lowercased()
                guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), !seen.contains("img-src") else { continue }
                seen.insert("img-src")
                rendered += " data-remote-src=\"\(HTMLEntities.escape(value))\""
            case (_, "width"), (_, "height"), (_, "colspan"), (_, "rowspan"):
                guard let number = Int(value.filter { !$0.isWhitespace }), (0...5000).contains(number) else { continue }
                rendered += " \(name)=\"\(number)\""
            default:
                rendered += " \(name)=\"\(HTMLEntities.escape(value))\""
            }
        }
        return rendered
    }

    static func isSafeLink(_ value: String) -> Bool {
        // Browsers ignore control characters and whitespace inside a scheme, so compare without them.
        let compact = String(value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }).lowercased()
        if compact.hasPrefix("#") { return true }
        return safeLinkSchemes.contains { compact.hasPrefix($0) }
    }

    private static func appendText(_ scalar: Unicode.Scalar, scanner: inout Scanner, into output: inout String.UnicodeScalarView) {
        switch scalar {
        case "&":
            if scanner.looksLikeEntity() { output.append("&") } else { output.append(contentsOf: "&amp;".unicodeScalars) }
        case ">": output.append(contentsOf: "&gt;".unicodeScalars)
        case "\"": output.append(contentsOf: "&quot;".unicodeScalars)
        case "\u{0}": break
        default: output.append(scalar)
        }
    }
}
