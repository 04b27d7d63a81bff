import CasebookCore
import Foundation

/// Reads the tone of what a customer writes, onto the message and the case (the case takes its latest customer message's tone).
enum CustomerTone {
    static let classifier = ToneClassifier()

    /// Only customers' own words are classified; staff replies and automatic notes are not.
    static func apply(_ text: String, role: Role, to message: inout MessageRecord, case record: inout CaseRecord) {
        guard role == .customer else { return }
        let reading = ToneReadings.shared.take(text) ?? classifier.classify(text)
        message.tone = reading.tone.rawValue
        // The strongest few pieces of evidence are kept: what an agent reads to see why.
        let evidence = reading.evidence.sorted { $0.weight > $1.weight }.prefix(8)
        message.toneEvidence = (try? JSONEncoder().encode(Array(evidence))).map { String(decoding: $0, as: UTF8.self) }
        record.tone = reading.tone.rawValue
    }

    /// The stored evidence's words for `tone`, strongest first, at most five; none when an agent has since set another tone.
    static func deciding(_ stored: String?, for tone: String) -> [String] {
        guard let stored, let evidence = try? JSONDecoder().decode([ToneEvidence].self, from: Data(stored.utf8)) else { return [] }
        return evidence.filter { $0.tone.rawValue == tone && $0.weight > 0 }.sorted { $0.weight > $1.weight }.prefix(5).map(\.text)
    }
}
