import CasebookCore
import Foundation
import SQLKit

/// Collects a change's entries for one case's timeline, numbered in order, and writes them at once.
///
/// Callers hold the case row's lock (they have just written it), so no other writer can take
/// the same positions; the unique index on (case_id, position) backs that up.
struct TimelineWriter {
    let caseID: UUID
    let actorID: UUID?
    let at: Date
    private var nextPosition: Int
    private var batch = TimelineBatch()
    /// Whether the case existed before this write (a new case has nobody watching it yet).
    private let continues: Bool

    /// A writer for a case that already has entries.
    static func continuing(caseID: UUID, actorID: UUID?, at: Date, on sql: any SQLDatabase) async throws -> TimelineWriter {
        let last = try await ConversationRepository.lastTimelinePosition(caseID: caseID, on: sql)
        return TimelineWriter(caseID: caseID, actorID: actorID, at: at, nextPosition: last + 1, continues: true)
    }

    /// A writer for a case created in this transaction.
    static func fresh(caseID: UUID, actorID: UUID?, at: Date) -> TimelineWriter {
        TimelineWriter(caseID: caseID, actorID: actorID, at: at, nextPosition: 1, continues: false)
    }

    private init(caseID: UUID, actorID: UUID?, at: Date, nextPosition: Int, continues: Bool) {
        self.caseID = caseID
        self.actorID = actorID
        self.at = at
        self.nextPosition = nextPosition
        self.continues = continues
    }

    mutating func record(kind: TimelineKind, visibility: Visibility, field: String? = nil, old: String? = nil, new: String? = nil,
                         messageID: UUID? = nil) {
        batch.add(caseID: caseID, position: nextPosition, kind: kind, actorID: actorID, field: field, old: old, new: new,
                  messageID: messageID, visibility: visibility, at: at)
        nextPosition += 1
    }

    mutating func record(_ changes: [FieldChange]) {
        for change in changes {
            record(kind: .fieldChanged, visibility: change.visibility, field: change.field, old: change.oldValue, new: change.newValue)
        }
    }

    func write(on sql: any SQLDatabase) async throws {
        try await batch.write(on: sql)
        if continues, !batch.isEmpty { CaseChanges.note(caseID) }
    }
}
