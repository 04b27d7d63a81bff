import Foundation

/// Reads holidays from an iCalendar (.ics, RFC 5545) file, as published by governments and groupware.
///
/// Each VEVENT's DTSTART (a date, or a date-time whose date is taken) up to its exclusive DTEND
/// is a holiday; `RRULE:FREQ=YEARLY` (with COUNT or UNTIL, else ten years) repeats it.
public enum HolidayCalendarFile {
    /// One holiday: its day and its name.
    public struct Holiday: Sendable, Hashable {
        public let date: LocalDate
        public let name: String
    }

    /// The holidays in the file; throws when the text is not an iCalendar file.
    public static func parse(_ text: String) throws(ServiceLevelError) -> [Holiday] {
        let lines = unfold(text)
        guard lines.contains(where: { $0.uppercased() == "BEGIN:VCALENDAR" }) else {
            throw ServiceLevelError.invalid("holiday file", "is not an iCalendar file (no BEGIN:VCALENDAR)")
        }
        var holidays: [Holiday] = []
        var event: [String: String]?
        for line in lines {
            let upper = line.uppercased()
            if upper == "BEGIN:VEVENT" { event = [:]; continue }
            if upper == "END:VEVENT" {
                if let event { holidays += expand(event) }
                event = nil
                continue
            }
            guard event != nil, let colon = line.firstIndex(of: ":") else { continue }
            let nameAndParameters = line[..<colon]
            let name = String(nameAndParameters.split(separator: ";").first ?? "").uppercased()
            event?[name] = String(line[line.index(after: colon)...])
        }
        return holidays.sorted { ($0.date, $0.name) < ($1.date, $1.name) }
    }

    /// Joins folded lines (a line starting with a space or tab continues the previous one).
    static func unfold(_ text: String) -> [String] {
        var lines: [String] = []
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += line.dropFirst()
            } else {
                lines.append(line)
            }
        }
        return lines
    }

    private static func expand(_ event: [String: String]) -> [Holiday] {
        guard let startText = event["DTSTART"], let start = LocalDate(parsing: String(startText.prefix(8))) else { return [] }
        let name = unescape(event["SUMMARY"] ?? "Holiday")
        var length = 1
        if let endText = event["DTEND"], let end = LocalDate(parsing: String(endText.prefix(8))), end > start {
            length = min(end.dayNumber - start.dayNumber, 31)
        }
        var years = [0]
        if let rule = event["RRULE"]?.uppercased() {
            let parts = Dictionary(rule.split(separator: ";").compactMap { part -> (String, String)? in
                let pair = part.split(separator: "=", maxSplits: 1)
                return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
            }, uniquingKeysWith: { first, _ in first })
            if parts["FREQ"] == "YEARLY" {
                let interval = max(1, Int(parts["INTERVAL"] ?? "1") ?? 1)
                let count = min(Int(parts["COUNT"] ?? "") ?? 10, 50)
                let until = parts["UNTIL"].flatMap { LocalDate(parsing: String($0.prefix(8))) }
                years = (0..<(until == nil ? count : 50)).map { $0 * interval }
                if let until {
                    years = years.filter { offset in
                        let (y, m, d) = start.components
                        return LocalDate(year: y + offset, month: m, day: min(d, LocalDate.daysIn(month: m, year: y + offset)))
                            .map { $0 <= until } ?? false
                    }
                }
            }
        }
        let (y, m, d) = start.components
        return years.flatMap { offset -> [Holiday] in
            guard let first = LocalDate(year: y + offset, month: m, day: min(d, LocalDate.daysIn(month: m, year: y + offset))) else { return [] }
            return (0..<length).map { Holiday(date: first.adding(days: $0), name: name) }
        }
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\,", with: ",").replacingOccurrences(of: "\\;", with: ";")
            .replacingOccurrences(of: "\\n", with: " ").replacingOccurrences(of: "\\\\", with: "\\")
    }
}
