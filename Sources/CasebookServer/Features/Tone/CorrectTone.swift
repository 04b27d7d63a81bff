import CasebookCore
import Fluent
import Foundation

/// An agent sets the tone of a customer's message by hand: the message and (when it is the latest) the case take it,
/// queues and rules see it from then on, the record says who changed it, and the correction is counted.
struct CorrectTone {
    let services: CasebookServices

    /// What the correction did; `changed` is false when the message already had that tone.
    struct Outcome {
        var correction: UUID?
        var from: Tone
        var to: Tone
        var changed: Bool
    }

    func run(reference: String, messageID: UUID, to tone: Tone, by current: CurrentActor, on db: any Database) async throws -> Outcome {
        let sql = services.store.sql(db)
        let now = services.clock()
        let record = try await CaseLookup.findForUpdate(reference, prefix: services.configuration.referencePrefix, at: now, on: sql)
        guard let message = try await ToneCorrectionRepository.message(messageID, caseID: record.id, on: sql) else {
            throw DomainError.notFound("That message on \(reference)")
        }
        guard let from = message.tone.flatMap(Tone.init(rawValue:)) else {
            throw DomainError.invalid("message", "was not written by the customer, so it has no tone to correct")
        }
        guard from != tone else { return Outcome(correction: nil, from: from, to: tone, changed: false) }
        let id = try await ToneCorrectionRepository.correct(messageID: messageID, caseID: record.id, from: from, to: tone,
                                                            language: WrittenLanguage.detect(message.text), by: current.user.id, at: now, on: sql)
        var timeline = try await TimelineWriter.continuing(caseID: record.id, actorID: current.user.id, at: now, on: sql)
        timeline.record(kind: .fieldChanged, visibility: .internal, field: "tone", old: from.rawValue, new: tone.rawValue)
        try await timeline.write(on: sql)
        return Outcome(correction: id, from: from, to: tone, changed: true)
    }
}
