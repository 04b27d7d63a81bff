/// One stretch of working time in the week: a weekday, a start and an end in minutes after local midnight.
///
/// An end at or before the start is an overnight shift ending the next day (22:00–06:00); a
/// start of 0 and an end of 1440 is the whole day. A shift belongs to the day it starts on, so a
/// holiday cancels the shift that starts on it, not the tail of the one that started the night before.
public struct WorkingPeriod: Sendable, Hashable, Codable {
    public let weekday: Weekday
    public let startMinute: Int
    public let endMinute: Int

    public init(_ weekday: Weekday, from startMinute: Int, to endMinute: Int) throws(ServiceLevelError) {
        guard (0..<1440).contains(startMinute), (0...1440).contains(endMinute), startMinute != endMinute || endMinute == 0 else {
            throw ServiceLevelError.invalid("working period", "needs a start from 00:00 to 23:59 and a different end up to 24:00")
        }
        self.weekday = weekday
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// `09:00` → 540.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }

    /// Length in minutes, counting into the next day for an overnight shift.
    public var lengthMinutes: Int { endMinute > startMinute ? endMinute - startMinute : endMinute + 1440 - startMinute }

    enum CodingKeys: String, CodingKey { case weekday, start, end }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let weekday = try container.decode(Weekday.self, forKey: .weekday)
        let startText = try container.decode(String.self, forKey: .start)
        let endText = try container.decode(String.self, forKey: .end)
        guard let start = Self.minutes(startText), let end = Self.minutes(endText) else {
            throw DecodingError.dataCorruptedError(forKey: .start, in: container, debugDescription: "times are HH:MM, 00:00 to 24:00")
        }
        try self.init(weekday, from: start, to: end)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(weekday, forKey: .weekday)
        try container.encode(Self.clock(startMinute), forKey: .start)
        try container.encode(Self.clock(endMinute), forKey: .end)
    }

    static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return DigitText.padded(h, width: 2) + ":" + DigitText.padded(m, width: 2)
    }
}

/// A service-level definition that breaks a rule.
public enum ServiceLevelError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String, String)

    public var description: String {
        switch self {
        case let .invalid(what, why): "The \(what) \(why)."
        }
    }
}
