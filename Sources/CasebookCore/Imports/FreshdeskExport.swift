import Foundation

/// Reads Freshdesk tickets as its API gives them (`GET /api/v2/tickets/{id}?include=conversations`), with contacts,
/// agents, companies and groups.
///
/// Files: `tickets.json` (tickets, each with `conversations`), `contacts.json`, `agents.json`, `companies.json`,
/// `groups.json`; attachment bytes under `attachments/<attachment id>/<file name>`.
public struct FreshdeskExport: Sendable {
    public let tickets: [ImportedTicket]
    /// How many ticket records the export holds, whatever window was read.
    public let ticketCount: Int
    public let leftOut: [String]

    /// Reads the export; with a `window`, only the ticket records at those positions become tickets (their attachments
    /// read), so a large export can be imported a part at a time.
    public init(_ files: ExportFiles, window: Range<Int>? = nil) throws(ImportFileError) {
        let read = try files.records("tickets.json", key: "tickets", window: window)
        guard read.exists else { throw .missing("tickets.json") }
        if !files.has("contacts.json") && !files.has("agents.json") && files.has("users.json") { throw .otherKind("Zendesk") }
        ticketCount = read.count
        let rawTickets = read.records
        let contacts = ExportJSON.byID(try files.records("contacts.json", key: "contacts"))
        let agents = ExportJSON.byID(try files.records("agents.json", key: "agents"))
        let companies = ExportJSON.byID(try files.records("companies.json", key: "companies"))
        let groups = ExportJSON.byID(try files.records("groups.json", key: "groups"))
        var leftOut = Set<String>()
        func person(_ id: Any?) -> ImportedPerson? {
            guard let id = ExportJSON.string(id) else { return nil }
            if let agent = agents[id] {
                let contact = agent["contact"] as? [String: Any] ?? agent
                return ImportedPerson(email: ExportJSON.string(contact["email"]) ?? "", name: ExportJSON.string(contact["name"]) ?? "Agent \(id)", isStaff: true)
            }
            guard let contact = contacts[id] else {
                leftOut.insert("Freshdesk person \(id) is in neither contacts.json nor agents.json")
                return ImportedPerson(email: "", name: "Freshdesk person \(id)")
            }
            let company = ExportJSON.string(contact["company_id"]).flatMap { companies[$0] }.flatMap { ExportJSON.string($0["name"]) }
            return ImportedPerson(email: ExportJSON.string(contact["email"]) ?? "", name: ExportJSON.string(contact["name"]) ?? "Contact \(id)",
                                  organisation: company)
        }
        func attachments(_ list: Any?, ticket: String) -> [ImportedFile] {
            (list as? [[String: Any]] ?? []).compactMap { file in
                let fileID = ExportJSON.string(file["id"]) ?? ""
                let name = ExportJSON.string(file["name"]) ?? "attachment"
                guard let data = files.attachment(fileID, name) else {
                    leftOut.insert("attachment \(fileID) (\(name)) of ticket \(ticket) is not in the export's attachments folder")
                    return nil
                }
                return ImportedFile(filename: name, contentType: ExportJSON.string(file["content_type"]) ?? "application/octet-stream", data: data)
            }
        }
        var tickets: [ImportedTicket] = []
        for raw in rawTickets {
            guard let id = ExportJSON.string(raw["id"]) else { continue }
            let status = ExportJSON.int(raw["status"]) ?? 2
            let created = ExportJSON.date(raw["created_at"]) ?? Date(timeIntervalSince1970: 0)
            var entries = [ImportedEntry(externalID: "description", at: created, author: person(raw["requester_id"]), kind: .publicMessage,
                                         text: ExportJSON.string(raw["description_text"]) ?? "", html: ExportJSON.string(raw["description"]),
                                         files: attachments(raw["attachments"], ticket: id))]
            for conversation in raw["conversations"] as? [[String: Any]] ?? [] {
                let isPrivate = (conversation["private"] as? Bool) ?? false
                entries.append(ImportedEntry(externalID: ExportJSON.string(conversation["id"]) ?? "", at: ExportJSON.date(conversation["created_at"]) ?? created,
                                             author: person(conversation["user_id"]), kind: isPrivate ? .internalNote : .publicMessage,
                                             text: ExportJSON.string(conversation["body_text"]) ?? "", html: ExportJSON.string(conversation["body"]),
                                             files: attachments(conversation["attachments"], ticket: id)))
            }
            let customFields = ((raw["custom_fields"] as? [String: Any]) ?? [:]).sorted { $0.key < $1.key }.compactMap { key, value -> (name: String, value: String)? in
                guard let text = ExportJSON.string(value), !text.isEmpty else { return nil }
                return (key.hasPrefix("cf_") ? String(key.dropFirst(3)).replacingOccurrences(of: "_", with: " ") : key, text)
            }
            var owner = person(raw["responder_id"])
            owner?.isStaff = true
            let statusName = ["2": "open", "3": "pending", "4": "resolved", "5": "closed"][String(status)] ?? "status \(status)"
            tickets.append(ImportedTicket(
                source: "freshdesk", externalID: id, subject: ExportJSON.string(raw["subject"]) ?? "", status: ImportedStatus.fromFreshdesk(status),
                sourceStatus: statusName, priority: [1: "low", 2: "normal", 3: "high", 4: "urgent"][ExportJSON.int(raw["priority"]) ?? 2] ?? "normal",
                queue: ExportJSON.string(raw["group_id"]).flatMap { groups[$0] }.flatMap { ExportJSON.string($0["name"]) },
                owner: owner, requester: person(raw["requester_id"]), createdAt: created, updatedAt: ExportJSON.date(raw["updated_at"]) ?? created,
                solvedAt: status == 4 || status == 5 ? ExportJSON.date(raw["updated_at"]) : nil, customFields: customFields,
                tags: (raw["tags"] as? [Any] ?? []).compactMap(ExportJSON.string), entries: entries))
        }
        self.tickets = tickets
        self.leftOut = leftOut.sorted()
    }
}
