/// Counts of durations in fixed buckets, so percentiles over a year of cases come from a few hundred numbers.
///
/// Buckets grow by about a quarter each (1 minute up to 90 days), so a percentile read from them
/// is within a quarter of the exact value; reports say "at most" the bucket's upper bound.
public struct DurationHistogram: Sendable, Equatable, Codable {
    /// Upper bounds in minutes; the last bucket takes everything longer.
    public static let bounds: [Double] = {
        var values: [Double] = []
        var value = 1.0
        while value < 129_600 {
            values.append(value.rounded())
            value *= 1.25
        }
        return values + [129_600]
    }()

    public private(set) var counts: [Int]

    public init() { counts = Array(repeating: 0, count: Self.bounds.count + 1) }

    public var total: Int { counts.reduce(0, +) }

    public mutating func add(minutes: Double) {
        let index = Self.bounds.firstIndex { minutes <= $0 } ?? Self.bounds.count
        counts[index] += 1
    }

    public mutating func merge(_ other: DurationHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    /// The smallest bucket bound under which `fraction` of the durations fall (nil when empty).
    public func percentile(_ fraction: Double) -> Double? {
        let total = self.total
        guard total > 0 else { return nil }
        let target = Int((Double(total) * fraction).rounded(.up))
        var seen = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if seen >= max(1, target) { return index < Self.bounds.count ? Self.bounds[index] : Self.bounds.last! }
        }
        return Self.bounds.last
    }

    public init(from decoder: any Decoder) throws {
        var stored = try decoder.singleValueContainer().decode([Int].self)
        let expected = Self.bounds.count + 1
        if stored.count < expected { stored += Array(repeating: 0, count: expected - stored.count) }
        counts = Array(stored.prefix(expected))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(counts)
    }
}
