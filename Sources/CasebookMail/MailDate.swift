import Foundation

/// Parses RFC 5322 dates, including obsolete zone names, two-digit years and missing seconds.
enum MailDate {
    static let months = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
    static let zones = ["ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -500, "edt": -400, "cst": -600, "cdt": -500,
                        "mst": -700, "mdt": -600, "pst": -800, "pdt": -700, "cet": 100, "cest": 200, "bst": 100,
                        "met": 100, "mest": 200, "mez": 100, "mesz": 200, "wet": 0, "west": 100, "eet": 200, "eest": 300,
                        "msk": 300, "jst": 900, "kst": 900, "hkt": 800, "sgt": 800, "aest": 1000, "aedt": 1100, "nzst": 1200,
                        "nzdt": 1300, "hst": -1000, "akst": -900, "akdt": -800]

    static func parse(_ raw: String) -> Date? {
        if let date = iso8601(raw.trimmingCharacters(in: .whitespaces)) { return date }
        let text = HeaderParameters.stripComments(raw).replacingOccurrences(of: ",", with: " ")
        var tokens: [String] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            // "22-Nov-2026" (RFC 850 style) holds three tokens.
            let pieces = token.split(separator: "-")
            if pieces.count == 3, !token.hasPrefix("-"), !token.hasPrefix("+") {
                tokens += pieces.map(String.init)
            } else {
                tokens.append(String(token))
            }
        }
        guard tokens.count >= 4, tokens.count < 20 else { return nil }
        if let first = tokens.first, Int(first) == nil, months[String(first.prefix(3)).lowercased()] == nil { tokens.removeFirst() }
        // Accept both "22 Nov 2026" and "Nov 22 2026".
        var day: Int?
        var month: Int?
        var year: Int?
        var time: String?
        var zone = 0
        for token in tokens {
            let lower = token.lowercased()
            if token.contains(":") && time == nil && !token.hasPrefix("+") && !token.hasPrefix("-") {
                time = token
            } else if time == nil, isDottedTime(token) {
                // "10.52.37", as some clients in Europe write the time.
                time = token.replacingOccurrences(of: ".", with: ":")
            } else if month == nil, let value = months[String(lower.prefix(3))], lower.count >= 3, Int(lower) == nil {
                month = value
            } else if let number = Int(token), !token.hasPrefix("+"), !token.hasPrefix("-") {
                if day == nil, number >= 1, number <= 31, token.count <= 2 { day = number }
                else if year == nil { year = number }
            } else if token.hasPrefix("+") || token.hasPrefix("-"), let value = offset(token) {
                zone = value
            } else if let value = zones[lower] {
                zone = value
            }
        }
        guard let day, let month, var year, let time else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        let parts = time.split(separator: ":").map { Int($0) ?? -1 }
        guard parts.count >= 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else { return nil }
        let second = parts.count > 2 ? parts[2] : 0
        guard (0...60).contains(second) else { return nil }
        return instant(year: year, month: month, day: day, hour: parts[0], minute: parts[1], second: second, zone: zone)
    }

    /// The moment a date and wall-clock time name in a zone given as `hhmm`; nil for a day the month does not have
    /// (a leap second counts as the second before it).
    static func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, zone: Int) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let base = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))),
              calendar.component(.day, from: base) == day else { return nil }
        return base.addingTimeInterval(TimeInterval(-((zone / 100) * 3600 + (zone % 100) * 60)))
    }

    /// A zone offset as `+0200`, `+02:00` or `+02`, in the `hhmm` form the rest of the parser uses.
    static func offset(_ token: String) -> Int? {
        let digits = token.dropFirst().replacingOccurrences(of: ":", with: "")
        guard digits.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(digits), [2, 4].contains(digits.count) else { return nil }
        let hhmm = digits.count == 2 ? value * 100 : value
        guard hhmm / 100 <= 14, hhmm % 100 < 60 else { return nil }
        return token.hasPrefix("-") ? -hhmm : hhmm
    }

    static func isDottedTime(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return (2...3).contains(parts.count) && parts.allSatisfy { (1...2).contains($0.count) && $0.allSatisfy { ("0"..."9").contains($0) } }
    }

    /// ISO 8601 as some tools write the Date header (`2026-11-22T09:15:00+01:00`, `2026-11-22 09:15:00Z`).
    static func iso8601(_ text: String) -> Date? {
        let scalars = Array(text.utf8)
        guard scalars.count >= 16, scalars.count <= 40, scalars[4] == UInt8(ascii: "-"), scalars[7] == UInt8(ascii: "-"),
              [UInt8(ascii: "T"), UInt8(ascii: " ")].contains(scalars[10]),
              let year = Int(text.prefix(4)), let month = Int(text.dropFirst(5).prefix(2)), let day = Int(text.dropFirst(8).prefix(2)) else { return nil }
        var rest = String(text.dropFirst(11))
        var zone = 0
        if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            rest.removeLast()
        } else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }), let value = offset(String(rest[sign...])) {
            zone = value
            rest = String(rest[..<sign])
        }
        let clock = rest.trimmingCharacters(in: .whitespaces).split(separator: ".").first.map(String.init) ?? ""
        let parts = clock.split(separator: ":").map { Int($0) ?? -1 }
        guard (2...3).contains(parts.count), (0...23).contains(parts[0]), (0...59).contains(parts[1]), parts.count < 3 || (0...60).contains(parts[2]) else { return nil }
        return instant(year: year, month: month, day: day, hour: parts[0], minute: parts[1], second: parts.count > 2 ? parts[2] : 0, zone: zone)
    }
}
