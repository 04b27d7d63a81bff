import Foundation

/// Which API calls the audit log records and what each is about: every change to configuration and access, and every
/// export. Case work is on the case's own timeline and is not repeated here.
public enum AuditScope {
    /// What kind of entry a call makes.
    public enum Category: String, Sendable, CaseIterable, Codable {
        case change
        case export
        case signIn = "sign_in"
        case signInFailed = "sign_in_failed"
        case signOut = "sign_out"
        case privacy
    }

    /// One call the log records: its category and the record it concerns.
    public struct Entry: Sendable, Equatable {
        public var category: Category
        public var subjectType: String
        public var subjectID: String?
        /// The path of the record as it stood before the change, read to keep its "before" (nil for creations and exports).
        public var recordPath: String?
    }

    /// The API collections whose changes are configuration or access (paths under `/api/v1/`).
    public static let configuration: Set<String> = [
        "users", "organisations", "contacts", "groups", "tokens", "sessions", "me", "sign-in-settings", "sla-policies", "calendars",
        "contracts", "automations", "categories", "custom-fields", "canned-responses", "products", "webhooks", "report-recipients",
        "imports", "jobs", "outbound", "privacy", "retention-rules", "legal-holds", "sign-in-providers", "directories", "mail-accounts",
        "mail-addresses",
    ]

    /// Path segments that name an operation on a collection rather than one of its records.
    private static let operations: Set<String> = ["export", "import", "preview", "test", "two-factor", "password"]

    /// Classifies a call to `/api/v1/<segments>`; nil when the log does not record it.
    public static func classify(method: String, segments: [String], query: String? = nil) -> Entry? {
        guard let collection = segments.first else { return nil }
        let id = segments.count > 1 && !operations.contains(segments[1]) ? segments[1] : nil
        if method == "GET" || method == "HEAD" {
            guard isExport(segments: segments, query: query) else { return nil }
            return Entry(category: .export, subjectType: collection, subjectID: id, recordPath: nil)
        }
        guard configuration.contains(collection) else { return nil }
        let recordPath = id.map { "/api/v1/\(collection)/\($0)" }
        // Retention rules and legal holds decide what personal data is kept, so they are privacy records too.
        let privacy: Set<String> = ["privacy", "retention-rules", "legal-holds"]
        return Entry(category: privacy.contains(collection) ? .privacy : .change, subjectType: collection, subjectID: id,
                     recordPath: method == "POST" && segments.count == 1 ? nil : recordPath)
    }

    /// Reading data out in bulk: an `export` path, a CSV or JSON Lines file, a privacy export.
    public static func isExport(segments: [String], query: String?) -> Bool {
        if segments.last == "export" || segments.last?.hasSuffix(".csv") == true { return true }
        let items = (query ?? "").split(separator: "&")
        return items.contains("format=csv") || items.contains("format=jsonl")
    }
}
