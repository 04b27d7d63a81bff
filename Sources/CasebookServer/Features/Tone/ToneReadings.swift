import CasebookCore
import NIOConcurrencyHelpers

/// Tone readings made before a write, for the write to take instead of reading the text again on the single writer:
/// mail is read side by side on both cores while it waits for the writer, as parsing already is.
final class ToneReadings: Sendable {
    static let shared = ToneReadings()
    /// Readings nobody took (mail from staff, a write that failed) are dropped together beyond this many: above the
    /// job runner's 64 messages in flight, and small enough that texts of up to 100 kB stay a few megabytes.
    private let limit = 128
    private let readings = NIOLockedValueBox([String: ToneReading]())

    /// Reads `text` now, for the write that will classify the same words.
    func prime(_ text: String) {
        let reading = CustomerTone.classifier.classify(text)
        readings.withLockedValue {
            if $0.count >= limit { $0.removeAll(keepingCapacity: true) }
            $0[text] = reading
        }
    }

    /// The reading made for exactly these words, once; nil when none was made.
    func take(_ text: String) -> ToneReading? {
        readings.withLockedValue { $0.removeValue(forKey: text) }
    }
}
