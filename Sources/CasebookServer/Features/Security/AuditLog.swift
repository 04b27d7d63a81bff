import CasebookCore
import Foundation

/// One entry of the audit log as stored: who, when, from where, what, and the record before and after.
struct AuditEvent: Sendable, Equatable {
    var id: UUID
    var at: Date
    var actorID: UUID?
    var actorEmail: String?
    var client: String?
    var category: AuditScope.Category
    var action: String
    var subjectType: String?
    var subjectID: String?
    /// The HTTP status the call was answered with (200 for sign-ins that worked, 401 for refused ones).
    var outcome: Int
    var before: String?
    var after: String?
}

/// What to look for in the audit log.
struct AuditQuery: Sendable {
    var text: String?
    var category: AuditScope.Category?
    var actorID: UUID?
    var subjectType: String?
    var subjectID: String?
    var since: Date?
    var until: Date?
    /// Entries older than this one (the id of the last entry of the page before).
    var olderThan: UUID?
    var limit = 100
}
