import CasebookCore
import Foundation
import SQLKit

/// The record of one case as a page shows it: messages and changes in order, with names resolved.
struct TimelineItem: Encodable {
    var position: Int
    var kind: String
    var isMessage: Bool
    var isInternal: Bool
    var author: String
    var at: String
    var atISO: String
    var text: String?
    /// Sanitised HTML of an email body; remote images stay blocked unless `imagesShown`.
    var html: String?
    var hasRemoteImages: Bool
    var imagesShown: Bool
    var messageID: String?
    var change: String?
    /// The raw change, so a page can word it in the reader's language.
    var field: String?
    var oldValue: String?
    var newValue: String?
    var tone: String?
    /// The words that decided the message's tone, strongest first (desk only).
    var toneWhy: [String] = []
    /// Who set the tone by hand, when an agent corrected it.
    var toneSetBy: String?
    var attachments: [Attachment]

    struct Attachment: Encodable {
        var id: String
        var filename: String
        var size: Int
    }
}

enum CasePageData {
    /// Timeline entries with their messages; customers get public entries only, read with the same filter the API uses.
    static func timeline(caseID: UUID, includeInternal: Bool, showImagesFor: UUID?, t: [String: String] = [:],
                         on sql: any SQLDatabase) async throws -> [TimelineItem] {
        let entries = try await ConversationRepository.timeline(caseID: caseID, includeInternal: includeInternal, on: sql)
        let messages = Dictionary(uniqueKeysWithValues: try await ConversationRepository.messages(caseID: caseID, includeInternal: includeInternal, on: sql).map { ($0.id, $0) })
        let attachments = Dictionary(grouping: try await ConversationRepository.attachments(caseID: caseID, on: sql), by: \.0).mapValues { $0.map(\.1) }
        // Authors by name, and what a changed field names by id (a person, group, organisation, product, version, category).
        let named = entries.filter { $0.kind == "field_changed" }.flatMap { [$0.oldValue, $0.newValue] }.compactMap { $0.flatMap(UUID.init(uuidString:)) }
        let names = try await RecordNameRepository.load(Set(entries.compactMap(\.actorID) + messages.values.compactMap(\.authorID) + named), on: sql)
        let corrected = includeInternal ? try await ToneCorrectionRepository.corrected(caseID: caseID, on: sql) : [:]
        var items: [TimelineItem] = []
        items.reserveCapacity(entries.count)
        for entry in entries {
            let internalEntry = entry.visibility == Visibility.internal.rawValue
            var item = TimelineItem(position: entry.position, kind: entry.kind, isMessage: false, isInternal: internalEntry,
                                    author: entry.actorID.flatMap { names[$0] } ?? "Casebook", at: PageFormat.time(entry.createdAt),
                                    atISO: PageFormat.iso(entry.createdAt), hasRemoteImages: false, imagesShown: false, attachments: [])
            if entry.kind == "message", let id = entry.messageID, let message = messages[id] {
                item.isMessage = true
                item.isInternal = message.visibility == Visibility.internal.rawValue
                item.author = message.authorID.flatMap { names[$0] } ?? "Casebook"
                item.text = message.text
                item.messageID = id.uuidString.lowercased()
                if let html = message.html, !html.isEmpty {
                    // Sanitised again on the way out, so a stored body from any release is safe to show.
                    let clean = HTMLSanitizer.sanitize(html)
                    item.hasRemoteImages = clean.contains("data-remote-src=")
                    if item.hasRemoteImages && showImagesFor == id {
                        item.html = clean.replacingOccurrences(of: "data-remote-src=", with: "src=")
                        item.imagesShown = true
                    } else {
                        item.html = clean
                    }
                }
                if includeInternal, let tone = message.tone {
                    item.tone = tone
                    item.toneSetBy = corrected[id]
                    item.toneWhy = CustomerTone.deciding(message.toneEvidence, for: tone)
                }
                item.attachments = (attachments[id] ?? []).map { .init(id: $0.id.uuidString.lowercased(), filename: $0.filename, size: $0.size) }
            } else if entry.kind == "message" {
                continue
            } else {
                item.change = PageFormat.change(kind: entry.kind, field: entry.field, old: entry.oldValue, new: entry.newValue, names: names, t: t)
                (item.field, item.oldValue, item.newValue) = (entry.field, entry.oldValue, entry.newValue)
            }
            items.append(item)
        }
        return items
    }
}

/// How pages write times and changes.
enum PageFormat {
    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    /// "2026-11-23 09:41 UTC": unambiguous for every reader; the page's script shows it in the reader's zone.
    static func time(_ date: Date) -> String {
        let text = iso(date)
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5)) + " UTC"
    }

    /// A change line in the reader's words: the field or event from the catalogue, statuses and priorities too;
    /// people, groups and catalogue entries by name. What a rule or a clock wrote itself stays as it wrote it.
    static func change(kind: String, field: String?, old: String?, new: String?, names: [UUID: String], t: [String: String] = [:]) -> String {
        func show(_ value: String?) -> String {
            guard let value, !value.isEmpty else { return "—" }
            if let id = UUID(uuidString: value), let name = names[id] { return name }
            switch field {
            case "status"?: if let word = t["desk_status_" + value] { return word }
            case "priority"?: if let word = t["priority_" + value] { return word }
            case "tone"?: if let word = t["tone_" + value] { return word }
            default: break
            }
            return value.replacingOccurrences(of: "_", with: " ")
        }
        switch kind {
        case "created":
            let channel = new.map { t["newcase_channel_" + $0] ?? $0.replacingOccurrences(of: "_", with: " ") } ?? ""
            return PlaceholderTemplate.render(t["timeline_opened"] ?? "opened {{channel}}", values: ["channel": channel])
        // "merged into CB-10423", "split from CB-10400", "part of CB-10431": the words are the entry.
        case "case_linked": return new ?? "linked"
        case "reply_held":
            let language = new.map { t["language_" + $0] ?? $0 } ?? "—"
            return PlaceholderTemplate.render(t["timeline_reply_held"] ?? "reply held for review by a colleague who writes {{language}}", values: ["language": language])
        case "reply_reviewed":
            let outcome = field ?? "sent"
            let words = t["timeline_reply_" + outcome] ?? "held reply \(outcome)"
            return new.map { "\(words): \($0)" } ?? words
        default:
            let name = (field ?? kind).replacingOccurrences(of: "_id", with: "")
            let label = t[(field == nil ? "timeline_kind_" : "timeline_field_") + name] ?? name.replacingOccurrences(of: "_", with: " ")
            if old == nil && new == nil { return label }
            return "\(label): \(show(old)) → \(show(new))"
        }
    }
}
