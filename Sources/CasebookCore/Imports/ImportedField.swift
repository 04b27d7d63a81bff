import Foundation

/// How another help desk's custom fields land in Casebook's: each name becomes a field key, each value a value of that
/// field's kind, or nothing when it does not fit (then the importer keeps it in a note).
public enum ImportedField {
    /// A field key for a name such as "Customer Impact" or "Sévérité": lower-case ASCII words joined by `_`, starting
    /// with a letter, at most 64 characters; nil when nothing of the name is left.
    public static func key(for name: String) -> String? {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var key = ""
        var pendingGap = false
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingGap, !key.isEmpty { key.append("_") }
                key.unicodeScalars.append(scalar)
                pendingGap = false
            } else {
                pendingGap = true
            }
        }
        guard let first = key.unicodeScalars.first else { return nil }
        if !("a"..."z").contains(first) { key = "field_" + key }
        let cut = String(key.prefix(64))
        return cut.hasSuffix("_") ? String(cut.dropLast()) : cut
    }

    /// `text` as a value of `definition`, checked by its rules; nil when it does not fit.
    public static func value(_ text: String, for definition: CustomFieldDefinition) -> FieldValue? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        let candidate: FieldValue?
        switch definition.kind {
        case .text, .choice: candidate = .text(trimmed)
        case .number: candidate = Double(trimmed).map(FieldValue.number)
        case .boolean: candidate = ["true", "yes", "1", "on"].contains(trimmed.lowercased()) ? .flag(true)
            : ["false", "no", "0", "off"].contains(trimmed.lowercased()) ? .flag(false) : nil
        // Other systems write dates with a time ("2024-05-01 00:00:00"); the day is what a date field keeps.
        case .date: candidate = .text(String(trimmed.prefix(10)))
        }
        guard let candidate else { return nil }
        return try? definition.validate(candidate)
    }
}
