import Foundation

/// File names that came from outside (uploads, mail): the last path component, without control
/// characters or surrounding spaces, at most 255 characters; empty when nothing usable is left.
public enum FileName {
    public static func clean(_ name: String) -> String {
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let visible = String(String.UnicodeScalarView(base.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        return String(visible.trimmingCharacters(in: .whitespaces).prefix(255))
    }
}
