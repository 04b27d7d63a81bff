import Foundation

/// How alike two customer updates are, so an agent is warned before sending the same words again.
///
/// Cosine similarity of word counts plus overlap of word pairs: reordering a sentence keeps the
/// first high, and the second keeps a genuinely new sentence that reuses common words from
/// looking like a repeat. Numbers are kept, so "ETA 14:00" and "ETA 16:00" differ.
public enum UpdateSimilarity {
    /// At or above this, an update counts as a repeat of the previous one.
    public static let warningThreshold = 0.8

    /// Similarity from 0 (nothing shared) to 1 (the same words in the same order).
    public static func score(_ a: String, _ b: String) -> Double {
        let left = words(a), right = words(b)
        guard !left.isEmpty, !right.isEmpty else { return left.isEmpty && right.isEmpty ? 1 : 0 }
        let cosine = Self.cosine(counts(left), counts(right))
        let pairs = jaccard(Set(zip(left, left.dropFirst()).map { $0 + " " + $1 }), Set(zip(right, right.dropFirst()).map { $0 + " " + $1 }))
        let score = left.count < 2 || right.count < 2 ? cosine : 0.5 * cosine + 0.5 * pairs
        return (score * 1000).rounded() / 1000
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    static func counts(_ words: [String]) -> [String: Double] {
        words.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    static func cosine(_ a: [String: Double], _ b: [String: Double]) -> Double {
        let dot = a.reduce(0.0) { $0 + $1.value * (b[$1.key] ?? 0) }
        let norms = sqrt(a.values.reduce(0) { $0 + $1 * $1 }) * sqrt(b.values.reduce(0) { $0 + $1 * $1 })
        return norms == 0 ? 0 : dot / norms
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 1 : Double(a.intersection(b).count) / Double(union)
    }
}
