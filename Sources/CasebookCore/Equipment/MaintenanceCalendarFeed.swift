import Foundation

/// Writes maintenance visits as an iCalendar (RFC 5545) feed that calendar apps can subscribe to.
public enum MaintenanceCalendarFeed {
    /// One visit: an all-day event on its due date.
    public struct Visit: Sendable, Equatable {
        public let uid: String
        public let day: LocalDate
        public let summary: String
        public let location: String?
        public let description: String?
        public let status: Status

        /// Planned: a future visit with no work order yet; scheduled: its work order exists; done: completed.
        public enum Status: Sendable {
            case planned, scheduled, done

            /// VEVENT has only tentative, confirmed and cancelled; a done visit stays confirmed.
            var icalendar: String { self == .planned ? "TENTATIVE" : "CONFIRMED" }
        }

        public init(uid: String, day: LocalDate, summary: String, location: String? = nil, description: String? = nil, status: Status) {
            self.uid = uid
            self.day = day
            self.summary = summary
            self.location = location
            self.description = description
            self.status = status
        }
    }

    public static func write(_ visits: [Visit], name: String, stamp: Date) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Casebook//Maintenance//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + escape(name)]
        let dtstamp = utcStamp(stamp)
        for visit in visits {
            let compact = visit.day.description.replacingOccurrences(of: "-", with: "")
            let next = visit.day.adding(days: 1).description.replacingOccurrences(of: "-", with: "")
            lines += ["BEGIN:VEVENT", "UID:" + escape(visit.uid), "DTSTAMP:" + dtstamp, "DTSTART;VALUE=DATE:" + compact, "DTEND;VALUE=DATE:" + next,
                      "SUMMARY:" + escape(visit.summary), "STATUS:" + visit.status.icalendar, "TRANSP:TRANSPARENT"]
            if let location = visit.location { lines.append("LOCATION:" + escape(location)) }
            if let description = visit.description { lines.append("DESCRIPTION:" + escape(description)) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT escaping: backslash, semicolon, comma and line breaks.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default: out.append(character)
            }
        }
        return out
    }

    /// Lines longer than 75 octets continue on the next line after a space, never splitting a UTF-8 character.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var result = ""
        var count = 0
        for character in line {
            let width = String(character).utf8.count
            if count + width > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += width
        }
        return result
    }

    static func utcStamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = LocalDate(dayNumber: Int((Double(seconds) / 86_400).rounded(.down)))
        let rest = seconds - day.dayNumber * 86_400
        func two(_ n: Int) -> String { DigitText.padded(n, width: 2) }
        return day.description.replacingOccurrences(of: "-", with: "") + "T" + two(rest / 3_600) + two(rest / 60 % 60) + two(rest % 60) + "Z"
    }
}
