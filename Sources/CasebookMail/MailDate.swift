import Foundation

/// Parses RFC 5322 dates, including obsolete zone names, two-digit years and missing seconds.
enum MailDate {
    static let months = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
    static let zones = ["ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -500, "edt": -400, "cst": -600, "cdt": -500,
                        "mst": -700, "mdt": -600, "pst": -800, "pdt": -700, "cet": 100, "cest": 200, "bst": 100]

    static func parse(_ raw: String) -> Date? {
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
            if token.contains(":") && time == nil {
                time = token
            } else if month == nil, let value = months[String(lower.prefix(3))], lower.count >= 3, Int(lower) == nil {
                month = value
            } else if let number = Int(token), !token.hasPrefix("+"), !token.hasPrefix("-") {
                if day == nil, number >= 1, number <= 31, token.count <= 2 { day = number }
                else if year == nil { year = number }
            } else if (token.hasPrefix("+") || token.hasPrefix("-")), token.count == 5, let value = Int(token.dropFirst()) {
                zone = token.hasPrefix("-") ? -value : value
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
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let base = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: parts[0], minute: parts[1], second: min(second, 59))),
              calendar.component(.day, from: base) == day else { return nil }
        let offset = (zone / 100) * 3600 + (zone % 100) * 60
        return base.addingTimeInterval(TimeInterval(-offset))
    }
}
