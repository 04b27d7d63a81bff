import Foundation

/// Reads holidays from an iCalendar (.ics, RFC 5545) file, as published by governments and groupware.
///
/// Each VEVENT's DTSTART (a date, or a date-time whose date is taken) up to its exclusive DTEND
/// is a holiday; `RRULE:FREQ=YEARLY` (with COUNT or UNTIL, else ten years) repeats it. The file is read whole
/// before anything is returned, and any fault refuses all of it, naming its line: a half-imported calendar
/// would silently move every service-level due time it touches.
public enum HolidayCalendarFile {
    /// One holiday: its day and its name.
    public struct Holiday: Sendable, Hashable {
        public let date: LocalDate
        public let name: String
    }

    /// The longest holiday name kept.
    public static let maxNameLength = 200
    /// Years outside this range are mistakes, not holidays.
    static let years = 1900...2200

    /// A content line after unfolding, with the number of the physical line it starts on.
    struct Line {
        let number: Int
        let name: String
        let parameters: [String: String]
        let value: String
    }

    /// The holidays in the file; throws, naming the line, when the file is not a well-formed iCalendar file.
    public static func parse(_ text: String) throws(ServiceLevelError) -> [Holiday] {
        let lines = try contentLines(unfold(text))
        guard let first = lines.first, first.name == "BEGIN", first.value.uppercased() == "VCALENDAR" else {
            throw ServiceLevelError.invalid("holiday file", "is not an iCalendar file (it must start with BEGIN:VCALENDAR)")
        }
        let zones = Set(lines.filter { $0.name == "TZID" }.map(\.value))
        var holidays: [Holiday] = []
        var stack: [(name: String, line: Int)] = []
        var event: [String: Line] = [:]
        for line in lines {
            switch line.name {
            case "BEGIN":
                stack.append((line.value.uppercased(), line.number))
                if stack.last?.name == "VEVENT" { event = [:] }
            case "END":
                guard let open = stack.popLast() else { throw fault(line.number, "END:\(line.value) closes nothing that is open") }
                guard open.name == line.value.uppercased() else {
                    throw fault(open.line, "BEGIN:\(open.name) is never closed (line \(line.number) has END:\(line.value) first)")
                }
                if open.name == "VEVENT" { holidays += try expand(event, at: open.line, zones: zones) }
                if open.name == "VCALENDAR", let extra = lines.first(where: { $0.number > line.number }) {
                    throw fault(extra.number, "comes after END:VCALENDAR")
                }
            default:
                // Only the event's own properties count, not those of an alarm inside it.
                if stack.last?.name == "VEVENT", event[line.name] == nil { event[line.name] = line }
            }
        }
        if let open = stack.last { throw fault(open.line, "BEGIN:\(open.name) is never closed (the file is cut short)") }
        return holidays.sorted { ($0.date, $0.name) < ($1.date, $1.name) }
    }

    /// Joins folded lines (a line starting with a space or tab continues the previous one), keeping each one's number.
    static func unfold(_ text: String) -> [(number: Int, text: String)] {
        var lines: [(number: Int, text: String)] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if index == 0, line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1].text += line.dropFirst()
            } else if !line.isEmpty {
                lines.append((index + 1, line))
            }
        }
        return lines
    }

    /// Splits each line into its name, parameters and value.
    static func contentLines(_ lines: [(number: Int, text: String)]) throws(ServiceLevelError) -> [Line] {
        var result: [Line] = []
        for (number, text) in lines {
            guard let colon = text.firstIndex(of: ":") else { throw fault(number, "has no ':' between a property's name and its value") }
            let head = text[..<colon].split(separator: ";", omittingEmptySubsequences: false)
            let name = String(head.first ?? "").uppercased()
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw fault(number, "does not start with a property name")
            }
            var parameters: [String: String] = [:]
            for parameter in head.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let key = pair.first, !key.isEmpty else { throw fault(number, "has an empty parameter") }
                parameters[key.uppercased()] = pair.count == 2 ? String(pair[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : ""
            }
            result.append(Line(number: number, name: name, parameters: parameters, value: String(text[text.index(after: colon)...])))
        }
        return result
    }

    private static func expand(_ event: [String: Line], at line: Int, zones: Set<String>) throws(ServiceLevelError) -> [Holiday] {
        guard let startLine = event["DTSTART"] else { throw fault(line, "this VEVENT has no DTSTART") }
        let start = try date(startLine, zones: zones)
        let name = unescape(event["SUMMARY"]?.value ?? "Holiday").trimmingCharacters(in: .whitespaces)
        if name.count > maxNameLength, let summary = event["SUMMARY"] {
            throw fault(summary.number, "SUMMARY is \(name.count) characters long; a holiday's name may have at most \(maxNameLength)")
        }
        var length = 1
        if let endLine = event["DTEND"] {
            let end = try date(endLine, zones: zones)
            guard end >= start else { throw fault(endLine.number, "DTEND \(end) is before DTSTART \(start)") }
            length = min(max(1, end.dayNumber - start.dayNumber), 31)
        }
        let years = try repeats(event["RRULE"], from: start)
        let (y, m, d) = start.components
        return years.flatMap { offset -> [Holiday] in
            guard let first = LocalDate(year: y + offset, month: m, day: min(d, LocalDate.daysIn(month: m, year: y + offset))) else { return [] }
            return (0..<length).map { Holiday(date: first.adding(days: $0), name: name) }
        }
    }

    /// The day a DTSTART or DTEND names: `20261225`, `20261225T000000`, `20261225T000000Z`, with a known TZID if any.
    private static func date(_ line: Line, zones: Set<String>) throws(ServiceLevelError) -> LocalDate {
        if let zone = line.parameters["TZID"], TimeZone(identifier: zone) == nil, !zones.contains(zone) {
            throw fault(line.number, "\(line.name) names the time zone '\(zone)', which is neither a known time zone nor defined in the file")
        }
        let value = line.value.trimmingCharacters(in: .whitespaces)
        let timePart = value.dropFirst(8)
        let timeIsValid = timePart.isEmpty || (timePart.first == "T" && [7, 8].contains(timePart.count)
            && timePart.dropFirst().prefix(6).allSatisfy { $0.isASCII && $0.isNumber } && (timePart.count == 7 || timePart.last == "Z"))
        guard timeIsValid, let day = LocalDate(parsing: String(value.prefix(8))), value.prefix(8).count == 8,
              years.contains(day.components.year) else {
            throw fault(line.number, "\(line.name) '\(value.prefix(40))' is not a date (YYYYMMDD, or YYYYMMDDTHHMMSS) between \(years.lowerBound) and \(years.upperBound)")
        }
        return day
    }

    /// The year offsets a yearly rule repeats the event on (none but its own year without a rule).
    private static func repeats(_ rule: Line?, from start: LocalDate) throws(ServiceLevelError) -> [Int] {
        guard let rule else { return [0] }
        var parts: [String: String] = [:]
        for part in rule.value.uppercased().split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw fault(rule.number, "RRULE part '\(part.prefix(40))' is not NAME=VALUE") }
            parts[String(pair[0])] = String(pair[1])
        }
        guard parts["FREQ"] == "YEARLY" else { return [0] }
        func number(_ key: String, default value: Int) throws(ServiceLevelError) -> Int {
            guard let text = parts[key] else { return value }
            guard let number = Int(text), (1...1000).contains(number) else { throw fault(rule.number, "RRULE \(key)=\(text.prefix(20)) is not a number from 1 to 1000") }
            return number
        }
        let interval = try number("INTERVAL", default: 1)
        let count = min(try number("COUNT", default: 10), 50)
        var until: LocalDate?
        if let text = parts["UNTIL"] {
            guard let day = LocalDate(parsing: String(text.prefix(8))) else { throw fault(rule.number, "RRULE UNTIL=\(text.prefix(20)) is not a date") }
            until = day
        }
        let offsets = (0..<(until == nil ? count : 50)).map { $0 * interval }
        guard let until else { return offsets }
        let (y, m, d) = start.components
        return offsets.filter { offset in
            LocalDate(year: y + offset, month: m, day: min(d, LocalDate.daysIn(month: m, year: y + offset))).map { $0 <= until } ?? false
        }
    }

    private static func fault(_ line: Int, _ problem: String) -> ServiceLevelError {
        ServiceLevelError.invalid("holiday file", "has a fault on line \(line): \(problem)")
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\,", with: ",").replacingOccurrences(of: "\\;", with: ";")
            .replacingOccurrences(of: "\\n", with: " ").replacingOccurrences(of: "\\N", with: " ").replacingOccurrences(of: "\\\\", with: "\\")
    }
}
