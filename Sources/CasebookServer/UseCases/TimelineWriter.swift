import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Appends entries to one case's timeline, numbering them in order.
///
/// Callers hold the case row's lock (they have just updated it), so no other writer can take
/// the same positions; the unique index on (case_id, position) backs that up.
struct TimelineWriter {
    let caseID: UUID
    let actorID: UUID?
    let at: Date
    private var nextPosition: Int

    static func start(caseID: UUID, actorID: UUID?, at: Date, on db: any Database) async throws -> TimelineWriter {
        let last = try await TimelineEntryModel.query(on: db).filter(\.$caseID == caseID).max(\.$position) ?? 0
        return TimelineWriter(caseID: caseID, actorID: actorID, at: at, nextPosition: last + 1)
    }

    private init(caseID: UUID, actorID: UUID?, at: Date, nextPosition: Int) {
        self.caseID = caseID
        self.actorID = actorID
        self.at = at
        self.nextPosition = nextPosition
    }

    mutating func record(kind: String, visibility: Visibility, field: String? = nil, old: String? = nil, new: String? = nil,
                         messageID: UUID? = nil, on db: any Database) async throws {
        let entry = TimelineEntryModel(
            caseID: caseID, position: nextPosition, kind: kind, actorID: actorID, field: field, oldValue: old, newValue: new,
            messageID: messageID, visibility: visibility.rawValue, createdAt: at)
        nextPosition += 1
        try await entry.create(on: db)
    }

    mutating func record(_ changes: [FieldChange], on db: any Database) async throws {
        for change in changes {
            try await record(kind: "field_changed", visibility: change.visibility, field: change.field, old: change.oldValue,
                             new: change.newValue, on: db)
        }
    }
}
