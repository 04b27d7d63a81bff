import CasebookCore
import Foundation
import SQLKit

/// Writes chat messages about events in a channel's language, from the message catalogs.
struct ChatNotices {
    let texts: [String: String]

    /// The names a chat message shows instead of ids.
    struct Names: Sendable {
        var group: String?
        var owner: String?

        static func load(for record: CaseRecord, on sql: any SQLDatabase) async throws -> Names {
            let found = try await RecordNameRepository.load(Set([record.groupID, record.assigneeID].compactMap { $0 }), from: ["users", "groups"], on: sql)
            return Names(group: record.groupID.flatMap { found[$0] }, owner: record.assigneeID.flatMap { found[$0] })
        }
    }

    func notice(for event: WebhookEvent, data: WebhookCaseData, names: Names) -> ChatNotice {
        let item = data.case
        var values = ["reference": item.reference, "subject": item.subject]
        var details = [(label: text("chat_status"), value: text("status_" + item.status.rawValue, item.status.words)),
                       (label: text("chat_priority"), value: text("priority_" + item.priority.rawValue, item.priority.rawValue)),
                       (label: text("chat_group"), value: names.group ?? "—"),
                       (label: text("chat_owner"), value: names.owner ?? text("chat_unassigned"))]
        if let changes = data.changes, event == .caseUpdated {
            details.append((label: text("chat_changes"), value: changes.map(\.field).joined(separator: ", ")))
        }
        if let message = data.message {
            details.append((label: text(message.from == "customer" ? "chat_reply_customer" : "chat_reply_staff"), value: Self.excerpt(message.text)))
        }
        if let level = data.serviceLevel {
            values["target"] = text("chat_metric_" + level.metric, level.metric)
            details.append((label: text("chat_target"), value: level.explanation))
        }
        if let survey = data.survey {
            values["rating"] = String(survey.rating)
            if let comment = survey.comment, !comment.isEmpty { details.append((label: text("chat_comment"), value: Self.excerpt(comment))) }
        }
        let headline = PlaceholderTemplate.render(text("chat_" + event.rawValue.replacingOccurrences(of: ".", with: "_")), values: values)
        return ChatNotice(headline: headline, details: details, link: URL(string: item.url), linkLabel: text("chat_open_case"),
                          isUrgent: event == .slaBreach || item.priority == .urgent)
    }

    func notice(for event: WebhookEvent, alert: WebhookAlertData, baseURL: String) -> ChatNotice {
        let headline = PlaceholderTemplate.render(text("chat_" + event.rawValue.replacingOccurrences(of: ".", with: "_")),
                                                  values: ["source": alert.source, "name": alert.name])
        var details = [(label: text("chat_summary"), value: Self.excerpt(alert.summary)),
                       (label: text("chat_priority"), value: text("priority_" + alert.priority, alert.priority))]
        if let reference = alert.caseReference { details.append((label: text("chat_case"), value: reference)) }
        return ChatNotice(headline: headline, details: details, link: alert.caseReference.flatMap { URL(string: baseURL + "/desk/cases/" + $0) },
                          linkLabel: text("chat_open_case"), isUrgent: event == .alertOpened)
    }

    private func text(_ key: String, _ fallback: String? = nil) -> String {
        texts[key] ?? fallback ?? key
    }

    /// A reply or comment cut to what a chat line can show.
    static func excerpt(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 280 ? String(flat.prefix(279)) + "…" : flat
    }
}
