import CasebookCore
import Foundation

/// Turns an HTML body into readable plain text for HTML-only mail.
public enum HTMLText {
    static let lineTags: Set<String> = ["div", "br", "li", "tr", "pre", "table", "ul", "ol", "hr", "section", "article",
                                        "header", "footer", "dd", "dt", "blockquote"]
    static let paragraphTags: Set<String> = ["p", "h1", "h2", "h3", "h4", "h5", "h6"]
    static let hiddenTags: Set<String> = ["script", "style", "head", "title", "template", "noscript", "svg"]

    public static func text(from html: String) -> String {
        let scalars = Array(html.unicodeScalars)
        var output = ""
        var index = 0
        var hiddenUntil: String?
        var pendingText = String.UnicodeScalarView()
        // Line breaks asked for by block tags, written only when more text follows.
        var pendingBreaks = 0
        var pendingBullet = false
        func flushText() {
            guard !pendingText.isEmpty else { return }
            let decoded = HTMLEntities.decode(String(pendingText))
            pendingText.removeAll()
            let visible = decoded.trimmingCharacters(in: .whitespaces)
            if visible.isEmpty {
                if !output.isEmpty, pendingBreaks == 0, output.last != " " { output.append(" ") }
                return
            }
            if !output.isEmpty, pendingBreaks > 0 {
                while output.last == " " { output.removeLast() }
                output += String(repeating: "\n", count: pendingBreaks)
            }
            if pendingBullet { output += "- " }
            output += pendingBreaks > 0 || output.isEmpty || pendingBullet ? String(decoded.drop(while: { $0 == " " })) : decoded
            pendingBreaks = 0
            pendingBullet = false
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<" {
                var end = index + 1
                while end < scalars.count, scalars[end] != ">" { end += 1 }
                let inside = String(String.UnicodeScalarView(scalars[(index + 1)..<min(end, scalars.count)]))
                index = end + 1
                if inside.hasPrefix("!--") {
                    if !inside.hasSuffix("--") {
                        var probe = index
                        while probe + 2 < scalars.count, !(scalars[probe] == "-" && scalars[probe + 1] == "-" && scalars[probe + 2] == ">") { probe += 1 }
                        index = probe + 3
                    }
                    continue
                }
                let closing = inside.hasPrefix("/")
                let name = String(inside.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber })).lowercased()
                if let hidden = hiddenUntil {
                    if closing && name == hidden { hiddenUntil = nil }
                    continue
                }
                flushText()
                if !closing, hiddenTags.contains(name), !inside.hasSuffix("/") { hiddenUntil = name; continue }
                if paragraphTags.contains(name) { pendingBreaks = max(pendingBreaks, 2) }
                else if lineTags.contains(name) { pendingBreaks = max(pendingBreaks, 1) }
                if name == "li" && !closing { pendingBullet = true }
                continue
            }
            if hiddenUntil == nil {
                // Source whitespace is not layout in HTML.
                if scalar == "\n" || scalar == "\r" || scalar == "\t" { pendingText.append(" ") } else { pendingText.append(scalar) }
            }
            index += 1
        }
        flushText()
        return tidy(output)
    }

    /// Collapses runs of spaces, trims lines and keeps at most one blank line in a row.
    static func tidy(_ text: String) -> String {
        var lines: [String] = []
        var blank = 0
        for line in text.replacingOccurrences(of: "\u{A0}", with: " ").split(separator: "\n", omittingEmptySubsequences: false) {
            let collapsed = line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            if collapsed.isEmpty {
                blank += 1
                if blank == 1, !lines.isEmpty { lines.append("") }
            } else {
                blank = 0
                lines.append(collapsed)
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
