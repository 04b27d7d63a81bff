/// How far apart maintenance visits are: every `count` days, weeks or months.
public struct MaintenanceInterval: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Unit: String, Sendable, Codable, CaseIterable {
        case day, week, month
    }

    public let count: Int
    public let unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// Checks the count is usable (1 to 366 days, 1 to 104 weeks, 1 to 60 months).
    public func validated() throws(MaintenanceError) -> MaintenanceInterval {
        let limit = switch unit {
        case .day: 366
        case .week: 104
        case .month: 60
        }
        guard (1...limit).contains(count) else { throw .badInterval("every \(count) \(unit.rawValue)s is out of range 1…\(limit)") }
        return self
    }

    /// The `n`th date of a series starting at `anchor`; months keep the anchor's day, clamped to short months.
    public func occurrence(_ n: Int, from anchor: LocalDate) -> LocalDate {
        switch unit {
        case .day: return anchor.adding(days: n * count)
        case .week: return anchor.adding(days: n * count * 7)
        case .month:
            let (year, month, day) = anchor.components
            let months = (year * 12 + month - 1) + n * count
            let targetYear = months / 12
            let targetMonth = months % 12 + 1
            let lastDay = LocalDate.daysIn(month: targetMonth, year: targetYear)
            return LocalDate(year: targetYear, month: targetMonth, day: min(day, lastDay))!
        }
    }

    public var description: String { count == 1 ? "every \(unit.rawValue)" : "every \(count) \(unit.rawValue)s" }
}

/// Why a maintenance schedule or checklist was refused.
public enum MaintenanceError: Error, Sendable, Equatable, CustomStringConvertible {
    case badInterval(String)
    case badChecklist(String)

    public var description: String {
        switch self {
        case let .badInterval(text), let .badChecklist(text): text
        }
    }
}
