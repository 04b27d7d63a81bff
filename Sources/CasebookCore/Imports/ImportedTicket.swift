import Foundation

/// A person as another help desk knows them.
public struct ImportedPerson: Sendable, Equatable, Hashable {
    public var email: String
    public var name: String
    public var organisation: String?
    /// Whether they worked tickets there (owners, commenters), as opposed to asking.
    public var isStaff: Bool

    public init(email: String, name: String, organisation: String? = nil, isStaff: Bool = false) {
        (self.email, self.name, self.organisation, self.isStaff) = (email, name, organisation, isStaff)
    }
}

/// A file attached to an entry, byte for byte.
public struct ImportedFile: Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var data: Data

    public init(filename: String, contentType: String, data: Data) {
        (self.filename, self.contentType, self.data) = (filename, contentType, data)
    }
}

/// One thing that happened on a ticket, in the order it happened.
public struct ImportedEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// What the customer sees: the opening message and correspondence.
        case publicMessage
        /// Staff only: comments and private notes.
        case internalNote
        /// A field's change (status, owner, queue, a custom field).
        case fieldChange(field: String, old: String?, new: String?)
    }

    public var externalID: String
    public var at: Date
    public var author: ImportedPerson?
    public var kind: Kind
    /// The plain text; empty when the source kept only HTML (the importer then reads the text out of it).
    public var text: String
    /// The source's HTML, when it kept the message so (RT's web replies, Zendesk's and Freshdesk's bodies).
    public var html: String?
    public var files: [ImportedFile]

    public init(externalID: String, at: Date, author: ImportedPerson?, kind: Kind, text: String = "", html: String? = nil, files: [ImportedFile] = []) {
        (self.externalID, self.at, self.author, self.kind, self.text, self.html, self.files) = (externalID, at, author, kind, text, html, files)
    }
}

/// A link between two tickets in the other help desk.
public struct ImportedLink: Sendable, Equatable {
    /// The relation in words: "depends on", "refers to", "member of"…
    public var relation: String
    public var targetExternalID: String

    public init(relation: String, targetExternalID: String) {
        (self.relation, self.targetExternalID) = (relation, targetExternalID)
    }
}

/// A whole ticket from another help desk, read and mapped, ready to be written as a case.
public struct ImportedTicket: Sendable, Equatable {
    /// rt, zendesk or freshdesk.
    public var source: String
    public var externalID: String
    public var subject: String
    public var status: CaseStatus
    /// The other system's status, kept when it has no exact counterpart.
    public var sourceStatus: String
    public var priority: String
    /// The queue or group it sat in.
    public var queue: String?
    public var owner: ImportedPerson?
    public var requester: ImportedPerson?
    public var createdAt: Date
    public var updatedAt: Date
    public var solvedAt: Date?
    public var customFields: [(name: String, value: String)]
    public var tags: [String]
    public var links: [ImportedLink]
    public var entries: [ImportedEntry]

    public init(source: String, externalID: String, subject: String, status: CaseStatus, sourceStatus: String, priority: String = "normal",
                queue: String?, owner: ImportedPerson?, requester: ImportedPerson?, createdAt: Date, updatedAt: Date, solvedAt: Date?,
                customFields: [(name: String, value: String)] = [], tags: [String] = [], links: [ImportedLink] = [], entries: [ImportedEntry]) {
        (self.source, self.externalID, self.subject, self.status, self.sourceStatus, self.priority) = (source, externalID, subject, status, sourceStatus, priority)
        (self.queue, self.owner, self.requester, self.createdAt, self.updatedAt, self.solvedAt) = (queue, owner, requester, createdAt, updatedAt, solvedAt)
        (self.customFields, self.tags, self.links, self.entries) = (customFields, tags, links, entries)
    }

    public static func == (lhs: ImportedTicket, rhs: ImportedTicket) -> Bool {
        lhs.source == rhs.source && lhs.externalID == rhs.externalID && lhs.subject == rhs.subject && lhs.status == rhs.status
            && lhs.entries == rhs.entries && lhs.links == rhs.links && lhs.customFields.map(\.name) == rhs.customFields.map(\.name)
            && lhs.customFields.map(\.value) == rhs.customFields.map(\.value)
    }
}

/// How other help desks' statuses and priorities become Casebook's.
public enum ImportedStatus {
    /// Request Tracker's lifecycle: new, open, stalled, resolved, rejected, deleted.
    public static func fromRT(_ status: String) -> CaseStatus {
        switch status.lowercased() {
        case "new": .new
        case "open": .open
        case "stalled": .pendingCustomer
        case "resolved": .solved
        case "rejected", "deleted": .closed
        default: .open
        }
    }

    /// Zendesk: new, open, pending, hold, solved, closed.
    public static func fromZendesk(_ status: String) -> CaseStatus {
        switch status.lowercased() {
        case "new": .new
        case "pending": .pendingCustomer
        case "hold": .pendingVendor
        case "solved": .solved
        case "closed": .closed
        default: .open
        }
    }

    /// Freshdesk's numeric statuses: 2 open, 3 pending, 4 resolved, 5 closed (6 and up are custom, treated as open).
    public static func fromFreshdesk(_ status: Int) -> CaseStatus {
        switch status {
        case 3: .pendingCustomer
        case 4: .solved
        case 5: .closed
        default: .open
        }
    }

    /// RT priorities are numbers (0–100 by default): the top fifth is urgent, and so on down.
    public static func priorityFromRT(_ value: Int) -> String {
        switch value {
        case 80...: "urgent"
        case 50..<80: "high"
        case 1..<20: "low"
        default: "normal"
        }
    }
}
