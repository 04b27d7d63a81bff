/// Text sent as `format=flowed` (RFC 3676), as Thunderbird, Apple Mail and many phones send it: a line ending in a
/// space continues on the next line of the same quote depth, so a paragraph wrapped at 72 columns reads as one line
/// again and re-wraps to the reader's screen.
public enum FlowedText {
    /// The text with every flowed paragraph joined into one line; `deleteSpace` (`DelSp=yes`) drops the space that
    /// marked each soft break, for languages written without spaces between words.
    public static func unflow(_ text: String, deleteSpace: Bool) -> String {
        var output: [String] = []
        var paragraph: (prefix: Substring, depth: Int, content: String)?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let (depth, content) = unquoted(line)
            if var open = paragraph {
                if open.depth == depth && content != "-- " {
                    open.content += content
                    paragraph = isFlowed(content) ? (open.prefix, depth, trimmed(open.content, deleteSpace)) : nil
                    if paragraph == nil { output.append(String(open.prefix) + open.content) }
                    continue
                }
                // A change of quote depth, or the signature's separator, ends a paragraph even when its last line said
                // it would go on.
                output.append(String(open.prefix) + open.content)
                paragraph = nil
            }
            if isFlowed(content) {
                paragraph = (prefix(of: line), depth, trimmed(content, deleteSpace))
            } else {
                output.append(String(prefix(of: line)) + content)
            }
        }
        if let open = paragraph { output.append(String(open.prefix) + open.content) }
        return output.joined(separator: "\n")
    }

    /// A line's quote depth and its words, with the quote marks and the space stuffed after them (or before an
    /// unquoted line starting with a space, "From" or ">") taken off.
    static func unquoted(_ line: Substring) -> (depth: Int, content: Substring) {
        let depth = line.prefix { $0 == ">" }.count
        var content = line.dropFirst(depth)
        if content.first == " " { content = content.dropFirst() }
        return (depth, content)
    }

    /// What a quoted line is shown with: its quote marks and one space, as they were written.
    static func prefix(of line: Substring) -> Substring {
        let marks = line.prefix { $0 == ">" }
        guard !marks.isEmpty else { return "" }
        return line.dropFirst(marks.count).first == " " ? line.prefix(marks.count + 1) : marks
    }

    /// A soft break: the line ends in a space and is not the signature separator "-- ".
    static func isFlowed(_ content: Substring) -> Bool {
        content.last == " " && content != "-- "
    }

    private static func trimmed(_ content: some StringProtocol, _ deleteSpace: Bool) -> String {
        deleteSpace && content.last == " " ? String(content.dropLast()) : String(content)
    }
}
