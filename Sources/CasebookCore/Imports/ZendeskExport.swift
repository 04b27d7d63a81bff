import Foundation

/// Reads a Zendesk export (tickets with their comments, users, organizations, groups, ticket fields) as tickets to import.
///
/// Files (each a JSON array, `{"<name>": [...]}` as the API answers, or JSON Lines as the full export writes them):
/// `tickets.json`, `users.json`, `organizations.json`, `groups.json`, `ticket_fields.json`; attachment bytes under
/// `attachments/<attachment id>/<file name>`.
public struct ZendeskExport: Sendable {
    public let tickets: [ImportedTicket]
    /// How many ticket records the export holds, whatever window was read.
    public let ticketCount: Int
    /// What the export had that could not be brought over (attachments missing from the export, unknown people).
    public let leftOut: [String]

    /// Reads the export; with a `window`, only the ticket records at those positions become tickets (their attachments
    /// read), so a large export can be imported a part at a time.
    public init(_ files: ExportFiles, window: Range<Int>? = nil) throws(ImportFileError) {
        let read = try files.records("tickets.json", key: "tickets", window: window)
        guard read.exists else { throw .missing("tickets.json") }
        if !files.has("users.json") && files.has("contacts.json") { throw .otherKind("Freshdesk") }
        ticketCount = read.count
        let rawTickets = read.records
        let users = ExportJSON.byID(try files.records("users.json", key: "users"))
        let organizations = ExportJSON.byID(try files.records("organizations.json", key: "organizations"))
        let groups = ExportJSON.byID(try files.records("groups.json", key: "groups"))
        let fields = ExportJSON.byID(try files.records("ticket_fields.json", key: "ticket_fields"))
        var leftOut = Set<String>()
        func person(_ id: Any?) -> ImportedPerson? {
            guard let id = ExportJSON.string(id) else { return nil }
            guard let user = users[id] else {
                leftOut.insert("Zendesk user \(id) is not in users.json")
                return ImportedPerson(email: "", name: "Zendesk user \(id)")
            }
            let role = ExportJSON.string(user["role"]) ?? "end-user"
            let organisation = ExportJSON.string(user["organization_id"]).flatMap { organizations[$0] }.flatMap { ExportJSON.string($0["name"]) }
            return ImportedPerson(email: ExportJSON.string(user["email"]) ?? "", name: ExportJSON.string(user["name"]) ?? "Zendesk user \(id)",
                                  organisation: organisation, isStaff: role == "agent" || role == "admin")
        }
        var tickets: [ImportedTicket] = []
        for raw in rawTickets {
            guard let id = ExportJSON.string(raw["id"]) else { continue }
            let status = ExportJSON.string(raw["status"]) ?? "open"
            let created = ExportJSON.date(raw["created_at"]) ?? Date(timeIntervalSince1970: 0)
            var entries: [ImportedEntry] = []
            let comments = raw["comments"] as? [[String: Any]] ?? []
            for comment in comments {
                var attached: [ImportedFile] = []
                for file in comment["attachments"] as? [[String: Any]] ?? [] {
                    let fileID = ExportJSON.string(file["id"]) ?? ""
                    let name = ExportJSON.string(file["file_name"]) ?? "attachment"
                    if let data = files.attachment(fileID, name) {
                        attached.append(ImportedFile(filename: name, contentType: ExportJSON.string(file["content_type"]) ?? "application/octet-stream", data: data))
                    } else {
                        leftOut.insert("attachment \(fileID) (\(name)) of ticket \(id) is not in the export's attachments folder")
                    }
                }
                let isPublic = (comment["public"] as? Bool) ?? true
                let text = ExportJSON.string(comment["plain_body"]) ?? ExportJSON.string(comment["body"]) ?? ""
                entries.append(ImportedEntry(externalID: ExportJSON.string(comment["id"]) ?? "", at: ExportJSON.date(comment["created_at"]) ?? created,
                                             author: person(comment["author_id"]), kind: isPublic ? .publicMessage : .internalNote, text: text,
                                             html: ExportJSON.string(comment["html_body"]), files: attached))
            }
            if comments.isEmpty, let description = ExportJSON.string(raw["description"]) {
                entries.append(ImportedEntry(externalID: "description", at: created, author: person(raw["requester_id"]), kind: .publicMessage, text: description))
            }
            let customFields = (raw["custom_fields"] as? [[String: Any]] ?? []).compactMap { field -> (name: String, value: String)? in
                guard let fieldID = ExportJSON.string(field["id"]), let value = ExportJSON.string(field["value"]), !value.isEmpty else { return nil }
                return (fields[fieldID].flatMap { ExportJSON.string($0["title"]) } ?? "Field \(fieldID)", value)
            }
            var owner = person(raw["assignee_id"])
            owner?.isStaff = true
            tickets.append(ImportedTicket(
                source: "zendesk", externalID: id, subject: ExportJSON.string(raw["subject"]) ?? "", status: ImportedStatus.fromZendesk(status),
                sourceStatus: status, priority: Self.priority(ExportJSON.string(raw["priority"])),
                queue: ExportJSON.string(raw["group_id"]).flatMap { groups[$0] }.flatMap { ExportJSON.string($0["name"]) },
                owner: owner, requester: person(raw["requester_id"]), createdAt: created,
                updatedAt: ExportJSON.date(raw["updated_at"]) ?? created,
                solvedAt: ["solved", "closed"].contains(status) ? ExportJSON.date(raw["updated_at"]) : nil, customFields: customFields,
                tags: (raw["tags"] as? [Any] ?? []).compactMap(ExportJSON.string),
                links: ExportJSON.string(raw["problem_id"]).map { [ImportedLink(relation: "incident of problem", targetExternalID: $0)] } ?? [],
                entries: entries))
        }
        self.tickets = tickets
        self.leftOut = leftOut.sorted()
    }

    static func priority(_ value: String?) -> String {
        switch value?.lowercased() {
        case "low": "low"
        case "high": "high"
        case "urgent": "urgent"
        default: "normal"
        }
    }
}
