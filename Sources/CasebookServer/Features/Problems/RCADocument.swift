import CasebookCore
import Foundation
import Vapor

/// One version of a root-cause-analysis report (the internal one or the customer's).
struct RCADocument: Content, Equatable {
    var summary: String = ""
    var timeline: [TimelineItem] = []
    var rootCause: String = ""
    var contributingFactors: [String] = []
    var actionItems: [ActionItem] = []

    struct TimelineItem: Content, Equatable {
        var at: Date
        var text: String
    }

    struct ActionItem: Content, Equatable {
        var text: String
        var ownerID: UUID?
        var dueOn: LocalDate?
        var done: Bool?

        enum CodingKeys: String, CodingKey {
            case text, done
            case ownerID = "owner_id", dueOn = "due_on"
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case summary, timeline
        case rootCause = "root_cause", contributingFactors = "contributing_factors", actionItems = "action_items"
    }

    init() {}

    init(summary: String, timeline: [TimelineItem], rootCause: String, contributingFactors: [String], actionItems: [ActionItem]) {
        self.summary = summary
        self.timeline = timeline
        self.rootCause = rootCause
        self.contributingFactors = contributingFactors
        self.actionItems = actionItems
    }

    /// Every part may be left out (and is then empty); unknown parts are refused.
    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        summary = try c.decodeIfPresent(String.self, forKey: .summary) ?? ""
        timeline = try c.decodeIfPresent([TimelineItem].self, forKey: .timeline) ?? []
        rootCause = try c.decodeIfPresent(String.self, forKey: .rootCause) ?? ""
        contributingFactors = try c.decodeIfPresent([String].self, forKey: .contributingFactors) ?? []
        actionItems = try c.decodeIfPresent([ActionItem].self, forKey: .actionItems) ?? []
    }

    /// Checks sizes and that owners are staff.
    func validated(field: String, owners: Set<UUID>) throws -> RCADocument {
        guard summary.count <= 20_000, rootCause.count <= 20_000 else { throw DomainError.invalid(field, "summary and root cause are limited to 20000 characters") }
        guard timeline.count <= 500, contributingFactors.count <= 100, actionItems.count <= 200 else { throw DomainError.invalid(field, "has too many entries") }
        for item in actionItems {
            guard !item.text.trimmingCharacters(in: .whitespaces).isEmpty else { throw DomainError.invalid(field, "action items need text") }
            if let owner = item.ownerID, !owners.contains(owner) { throw DomainError.invalid(field, "action item owner \(owner) is not active staff") }
        }
        return RCADocument(summary: summary, timeline: timeline.sorted { $0.at < $1.at }, rootCause: rootCause,
                           contributingFactors: contributingFactors.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                           actionItems: actionItems)
    }

    /// The zone a reader without one of their own reads times in.
    static let utc = TimeZone(identifier: "UTC") ?? .gmt

    /// How a document is worded for one reader: the headings in their language, times in their zone.
    struct Reader {
        var language: String
        var zone: TimeZone
        var t: [String: String]

        func word(_ key: String, _ fallback: String, _ values: [String: String] = [:]) -> String {
            PlaceholderTemplate.render(t[key] ?? fallback, values: values)
        }

        /// "2026-11-23 10:41", in the reader's zone (named once, in the timeline's heading).
        func time(_ date: Date) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
        }

        /// Foundation names UTC "GMT" on Linux; readers know it as UTC.
        var zoneName: String { ["GMT", "UTC", "Etc/UTC"].contains(zone.identifier) ? "UTC" : zone.identifier }

        var timelineHeading: String { word("rca_timeline", "Timeline ({{zone}})", ["zone": zoneName]) }
    }

    /// Plain text, as the customer receives it by mail.
    func text(title: String, for reader: Reader) -> String {
        var lines = [title, "", reader.word("rca_summary", "Summary"), summary, ""]
        if !timeline.isEmpty {
            lines.append(reader.timelineHeading)
            for item in timeline { lines.append("- \(reader.time(item.at)): \(item.text)") }
            lines.append("")
        }
        lines += [reader.word("rca_root_cause", "Root cause"), rootCause, ""]
        if !contributingFactors.isEmpty { lines += [reader.word("rca_factors", "Contributing factors")] + contributingFactors.map { "- \($0)" } + [""] }
        if !actionItems.isEmpty {
            lines.append(reader.word("rca_actions", "Actions"))
            for item in actionItems {
                lines.append("- \(item.text)" + (item.dueOn.map { " (" + reader.word("rca_due_by", "by {{date}}", ["date": $0.description]) + ")" } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A printable page.
    func html(title: String, owners: [UUID: String], isInternal: Bool, for reader: Reader) -> String {
        let e = HTMLEntities.escape
        let kind = isInternal ? reader.word("rca_kind_internal", "Internal root-cause analysis") : reader.word("rca_kind_customer", "Root-cause analysis")
        var body = "<h1>\(e(title))</h1><p class=\"kind\">\(e(kind))</p>"
        body += "<h2>\(e(reader.word("rca_summary", "Summary")))</h2>" + paragraphs(summary)
        if !timeline.isEmpty {
            body += "<h2>\(e(reader.timelineHeading))</h2><table><tbody>"
            for item in timeline {
                body += "<tr><th scope=\"row\"><time datetime=\"\(e(Timestamp.format(item.at)))\">\(e(reader.time(item.at)))</time></th><td>\(e(item.text))</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "<h2>\(e(reader.word("rca_root_cause", "Root cause")))</h2>" + paragraphs(rootCause)
        if !contributingFactors.isEmpty {
            body += "<h2>\(e(reader.word("rca_factors", "Contributing factors")))</h2><ul>"
            for factor in contributingFactors { body += "<li>\(e(factor))</li>" }
            body += "</ul>"
        }
        if !actionItems.isEmpty {
            let owner = isInternal ? "<th>\(e(reader.word("rca_owner", "Owner")))</th>" : ""
            body += "<h2>\(e(reader.word("rca_actions", "Actions")))</h2><table><thead><tr><th>\(e(reader.word("rca_action", "Action")))</th>\(owner)"
                + "<th>\(e(reader.word("rca_due", "Due")))</th></tr></thead><tbody>"
            for item in actionItems {
                let done = item.done == true ? " ✓" : ""
                let owner = isInternal ? "<td>\(e(item.ownerID.flatMap { owners[$0] } ?? "—"))</td>" : ""
                body += "<tr><td>\(e(item.text))\(done)</td>\(owner)<td>\(e(item.dueOn?.description ?? "—"))</td></tr>"
            }
            body += "</tbody></table>"
        }
        return """
        <!doctype html><html lang="\(e(reader.language))"><head><meta charset="utf-8"><title>\(e(title))</title><style>
        body{font:11pt/1.5 Georgia,serif;max-width:46rem;margin:2rem auto;color:#111}h1{font-size:18pt}h2{font-size:13pt;border-bottom:1px solid #ccc}
        table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}.kind{color:#555}
        @media print{body{margin:0}}</style></head><body>\(body)</body></html>
        """
    }

    private func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { "<p>\(HTMLEntities.escape($0).replacingOccurrences(of: "\n", with: "<br>"))</p>" }.joined()
    }
}
