import CasebookCore
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// The active SLA policies with their calendars, as core values ready for the clock.
struct ServiceLevelCatalog: Sendable {
    let policies: [SLAPolicy]

    var isEmpty: Bool { policies.isEmpty }

    static func load(on sql: any SQLDatabase) async throws -> ServiceLevelCatalog {
        let policies = try await SLAPolicyRepository.active(calendars: try await CalendarRepository.calendars(on: sql), on: sql)
        return ServiceLevelCatalog(policies: policies)
    }
}

/// How calendars and targets are stored as JSON text.
enum CalendarCodec {
    /// One stored holiday.
    struct Holiday: Codable, Sendable, Equatable {
        var date: LocalDate
        var name: String
    }

    /// A calendar from its `business_calendars` row (time_zone, periods, holidays).
    static func calendar(row: any SQLRow) throws -> BusinessCalendar {
        try calendar(timeZone: try row.decode(column: "time_zone", as: String.self), periods: try row.decode(column: "periods", as: String.self),
                     holidays: try row.decode(column: "holidays", as: String.self))
    }

    static func calendar(timeZone: String, periods: String, holidays: String) throws -> BusinessCalendar {
        guard let zone = TimeZone(identifier: timeZone) else { throw DomainError.invalid("time_zone", "is not a known time zone") }
        let decodedPeriods = try JSONDecoder().decode([WorkingPeriod].self, from: Data(periods.utf8))
        let decodedHolidays = try JSONDecoder().decode([Holiday].self, from: Data(holidays.utf8))
        return try BusinessCalendar(timeZone: zone, periods: decodedPeriods, holidays: Set(decodedHolidays.map(\.date)))
    }

    static func targets(_ text: String) throws -> [Priority: SLATargets] {
        let raw = try JSONDecoder().decode([String: SLATargets].self, from: Data(text.utf8))
        var result: [Priority: SLATargets] = [:]
        for (key, value) in raw {
            guard let priority = Priority(rawValue: key) else { throw DomainError.invalid("targets", "has an unknown priority '\(key)'") }
            result[priority] = value
        }
        return result
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
