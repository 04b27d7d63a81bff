import Foundation

/// What an audit entry keeps of a record: its JSON with every secret blanked, cut to a size a log can hold.
public enum AuditRedaction {
    /// Keys whose values never reach the log, whatever record they are in.
    static let secretWords = ["password", "secret", "token", "recovery", "totp", "otpauth", "qr_", "code_hash"]
    /// The most of one record the log keeps.
    public static let limit = 64 * 1024
    public static let hidden = "[hidden]"

    /// The JSON `data` with secrets blanked, or nil when it is not JSON; a record too large is cut with a note.
    public static func redact(_ data: Data) -> String? {
        guard !data.isEmpty, let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        let cleaned = blank(value)
        guard let out = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys, .fragmentsAllowed]) else { return nil }
        let text = String(decoding: out, as: UTF8.self)
        guard text.utf8.count > limit else { return text }
        return String(decoding: Array(text.utf8.prefix(limit)), as: UTF8.self) + "… (cut at \(limit / 1024) KB)"
    }

    /// Whether a key names something secret ("password", "webhook_secret", "token" — but not "token_hint" or a count).
    public static func isSecret(_ key: String) -> Bool {
        let lower = key.lowercased()
        if lower.hasSuffix("_hint") || lower == "hint" || lower.hasSuffix("_count") || lower.hasSuffix("_remaining") || lower.hasSuffix("_at") { return false }
        return secretWords.contains { lower.contains($0) }
    }

    private static func blank(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (key, inner) in object { out[key] = isSecret(key) && !(inner is NSNull) ? hidden : blank(inner) }
            return out
        }
        if let array = value as? [Any] { return array.map(blank) }
        return value
    }
}
