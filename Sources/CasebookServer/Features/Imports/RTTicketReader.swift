import CasebookCore
import CasebookMail
import Foundation

/// Reads one Request Tracker ticket, with its whole history and attachments, as an `ImportedTicket`.
struct RTTicketReader: Sendable {
    let client: RTClient
    let names: RTNames

    /// Transaction types with a place in a case's history; the rest (mail records, watchers, reminders) are left out.
    static let messageTypes: [String: ImportedEntry.Kind] = ["Create": .publicMessage, "Correspond": .publicMessage, "Comment": .internalNote]
    static let changeTypes: Set<String> = ["Status", "Set", "CustomField", "AddLink", "DeleteLink", "Told", "Force", "Steal", "Give", "Take", "Untake"]
    static let linkRefs = ["depends-on", "depended-on-by", "refers-to", "referred-to-by", "parent", "child", "member-of", "has-member"]

    func read(_ id: Int) async throws -> (ticket: ImportedTicket, leftOut: Set<String>) {
        let ticket = try await client.get("/ticket/\(id)")
        let sourceStatus = RTJSON.string(ticket["Status"]) ?? "open"
        let ownerRef = RTJSON.ref(ticket["Owner"])
        var owner = ownerRef == nil || ownerRef == "Nobody" ? nil : try await names.person(ownerRef!)
        owner?.isStaff = true
        let requesterRef = (ticket["Requestor"] as? [[String: Any]])?.first.flatMap { RTJSON.string($0["id"]) }
        let requester = try await requesterRef.asyncFlatMap { try await names.person($0) }
        var leftOut = Set<String>()
        var entries: [ImportedEntry] = []
        let parts = try await parts(of: id)
        for transaction in try await history(id) {
            let type = RTJSON.string(transaction["Type"]) ?? ""
            let tid = RTJSON.string(transaction["id"]) ?? ""
            let at = RTJSON.date(transaction["Created"]) ?? Date(timeIntervalSince1970: 0)
            let author = try await RTJSON.ref(transaction["Creator"]).asyncFlatMap { try await names.person($0) }
            if let kind = Self.messageTypes[type] {
                let part = parts[tid] ?? (nil, nil, [])
                var files: [ImportedFile] = []
                for url in part.files { files.append(try await file(url)) }
                entries.append(ImportedEntry(externalID: tid, at: at, author: author, kind: kind, text: part.text ?? "", html: part.html, files: files))
            } else if Self.changeTypes.contains(type) {
                let field = (RTJSON.string(transaction["Field"]).flatMap { $0.isEmpty ? nil : $0 } ?? type).lowercased()
                let old = try await names.value(field: field, RTJSON.string(transaction["OldValue"]))
                let new = try await names.value(field: field, RTJSON.string(transaction["NewValue"]))
                entries.append(ImportedEntry(externalID: tid, at: at, author: author, kind: .fieldChange(field: field, old: old, new: new)))
            } else {
                leftOut.insert("history entries of type \(type)")
            }
        }
        let customFields = (ticket["CustomFields"] as? [[String: Any]] ?? []).compactMap { field -> (name: String, value: String)? in
            guard let name = RTJSON.string(field["name"]) else { return nil }
            return (name, (field["values"] as? [Any] ?? []).compactMap(RTJSON.string).joined(separator: ", "))
        }
        let links = (ticket["_hyperlinks"] as? [[String: Any]] ?? []).compactMap { link -> ImportedLink? in
            guard let ref = RTJSON.string(link["ref"]), Self.linkRefs.contains(ref), let url = RTJSON.string(link["_url"]),
                  let target = url.split(separator: "/").last else { return nil }
            return ImportedLink(relation: ref.replacingOccurrences(of: "-", with: " "), targetExternalID: String(target))
        }
        let created = RTJSON.date(ticket["Created"]) ?? Date(timeIntervalSince1970: 0)
        let imported = ImportedTicket(
            source: "rt", externalID: String(id), subject: RTJSON.string(ticket["Subject"]) ?? "", status: ImportedStatus.fromRT(sourceStatus),
            sourceStatus: sourceStatus, priority: ImportedStatus.priorityFromRT(RTJSON.int(ticket["Priority"]) ?? 0),
            queue: try await RTJSON.ref(ticket["Queue"]).asyncFlatMap { try await names.queue($0) }, owner: owner, requester: requester,
            createdAt: created, updatedAt: RTJSON.date(ticket["LastUpdated"]) ?? created, solvedAt: RTJSON.date(ticket["Resolved"]),
            customFields: customFields, links: links, entries: entries)
        return (imported, leftOut)
    }

    /// Every transaction of the ticket, oldest first.
    private func history(_ id: Int) async throws -> [[String: Any]] {
        var all: [[String: Any]] = []
        var page = 1
        while true {
            let answer = try await client.get("/ticket/\(id)/history?per_page=100&page=\(page)&fields=Type,Creator,Created,Field,OldValue,NewValue")
            let items = answer["items"] as? [[String: Any]] ?? []
            all += items
            guard items.count == 100 else { return all }
            page += 1
        }
    }

    /// The message parts of every transaction: one listing gives the texts; each file is then fetched base64-encoded, so its
    /// bytes arrive exactly (the listing's content is text, which would bend binary data).
    private func parts(of ticketID: Int) async throws -> [String: (text: String?, html: String?, files: [String])] {
        var parts: [String: (text: String?, html: String?, files: [String])] = [:]
        var page = 1
        while true {
            let answer = try await client.get("/ticket/\(ticketID)/attachments?fields=Filename,ContentType,TransactionId,Content&per_page=100&page=\(page)")
            let items = answer["items"] as? [[String: Any]] ?? []
            for part in items {
                guard let transaction = RTJSON.string(part["TransactionId"]) else { continue }
                let type = (RTJSON.string(part["ContentType"]) ?? "").lowercased()
                var entry = parts[transaction] ?? (nil, nil, [])
                if type.hasPrefix("multipart/") { continue }
                if let filename = RTJSON.string(part["Filename"]), !filename.isEmpty, let url = RTJSON.string(part["_url"]) {
                    entry.files.append(url)
                } else if type == "text/plain", entry.text == nil {
                    entry.text = RTJSON.string(part["Content"])
                } else if type == "text/html", entry.html == nil {
                    entry.html = RTJSON.string(part["Content"])
                } else if let url = RTJSON.string(part["_url"]), !(RTJSON.string(part["Content"]) ?? "").isEmpty {
                    entry.files.append(url)
                }
                parts[transaction] = entry
            }
            guard items.count == 100 else { return parts }
            page += 1
        }
    }

    /// One attachment, byte for byte.
    private func file(_ url: String) async throws -> ImportedFile {
        let part = try await client.get(url)
        let type = (RTJSON.string(part["ContentType"]) ?? "application/octet-stream").lowercased()
        let name = RTJSON.string(part["Filename"]).flatMap { $0.isEmpty ? nil : $0 }
            ?? "part-\(RTJSON.string(part["id"]) ?? "0").\(type.split(separator: "/").last ?? "bin")"
        return ImportedFile(filename: name, contentType: type, data: Data(base64Encoded: RTJSON.string(part["Content"]) ?? "", options: .ignoreUnknownCharacters) ?? Data())
    }
}

/// RT's users and queues by id, each fetched once per import.
actor RTNames {
    let client: RTClient
    private var people: [String: ImportedPerson] = [:]
    private var queues: [String: String] = [:]

    init(client: RTClient) { self.client = client }

    func person(_ id: String) async throws -> ImportedPerson {
        if let known = people[id] { return known }
        let user = try await client.get("/user/\(id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)")
        let name = RTJSON.string(user["RealName"]).flatMap { $0.isEmpty ? nil : $0 } ?? RTJSON.string(user["Name"]) ?? id
        let person = ImportedPerson(email: RTJSON.string(user["EmailAddress"]) ?? "", name: name,
                                    organisation: RTJSON.string(user["Organization"]).flatMap { $0.isEmpty ? nil : $0 },
                                    isStaff: RTJSON.int(user["Privileged"]) == 1)
        people[id] = person
        return person
    }

    func queue(_ id: String) async throws -> String {
        if let known = queues[id] { return known }
        let name = RTJSON.string(try await client.get("/queue/\(id)")["Name"]) ?? "Queue \(id)"
        queues[id] = name
        return name
    }

    /// A changed value in words: owners and queues by name instead of RT's numbers.
    func value(field: String, _ raw: String?) async throws -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        switch field {
        case "owner": return raw == "6" || raw == "Nobody" ? "Nobody" : try await person(raw).name
        case "queue": return try await queue(raw)
        default: return raw
        }
    }
}
