import CasebookCore
import Foundation

/// The command line's messages in the administrator's language, from the same catalogues as the pages.
///
/// The language comes from the locale environment as every Unix tool reads it: the first of `LC_ALL`, `LC_MESSAGES`
/// and `LANG` that is set decides ("es_ES.UTF-8" is Spanish; "C", "POSIX" or a language Casebook lacks is English).
public struct CommandText: Sendable {
    /// The catalogue language chosen.
    public let language: String
    private let strings: [String: String]

    /// The text for the environment's language.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        language = Self.language(in: environment)
        // The catalogues ship inside the binary; without them every message is its key, which still says what happened.
        strings = (try? WebText.load())?.strings(language) ?? [:]
    }

    static func language(in environment: [String: String]) -> String {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            let code = value.prefix { $0.isLetter }.lowercased()
            return WebText.languages.contains(code) ? code : "en"
        }
        return "en"
    }

    /// The message `key` with its `{{placeholders}}` filled in.
    public func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        PlaceholderTemplate.render(strings[key] ?? key, values: values)
    }

    /// The message `key` in the plural category `count` takes in this language (`key_one`, `key_many`, `key_other`),
    /// with `{{count}}` and the other placeholders filled in.
    public func counted(_ key: String, count: Int, _ values: [String: String] = [:]) -> String {
        let text = PluralCategory.keys(key, count: count, language: language).lazy.compactMap { strings[$0] }.first ?? key
        return PlaceholderTemplate.render(text, values: values.merging(["count": String(count)]) { $1 })
    }

    /// The one-line summary every help-desk import ends with, each count in its own plural form.
    func importSummary(imported: Int, entries: Int, attachments: Int, skipped: Int, failed: Int) -> String {
        self("cli_import_summary", ["tickets": counted("cli_count_tickets", count: imported),
                                    "entries": counted("cli_count_history_entries", count: entries),
                                    "attachments": counted("cli_count_attachments", count: attachments),
                                    "skipped": counted("cli_count_already_here", count: skipped),
                                    "failed": counted("cli_count_failed", count: failed)])
    }

    /// What a sweep of the file store found and did, each count in its own plural form.
    public func sweepSummary(_ outcome: BlobSweep.Outcome, dryRun: Bool) -> String {
        self(dryRun ? "cli_storage_sweep_dry" : "cli_storage_sweep_done",
             ["looked": counted("cli_count_stored_files", count: outcome.looked),
              "unnamed": counted("cli_count_unnamed_files", count: outcome.unnamed),
              "removed": counted("cli_count_removed_files", count: outcome.removed)])
    }
}
