import Foundation

/// Casebook's time format: ISO 8601 in UTC with exactly three fraction digits, rounded (not truncated).
public enum Timestamp {
    /// Formats `date` as `2026-11-22T23:09:28.160Z`.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = Int(milliseconds - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        // Plain arithmetic: this runs for every time in every response, and a calendar lookup plus a format string
        // cost more than the rest of the encoding.
        return LocalDate(dayNumber: Int(days)).description + "T" + DigitText.padded(rest / 3_600, width: 2) + ":"
            + DigitText.padded(rest / 60 % 60, width: 2) + ":" + DigitText.padded(rest % 60, width: 2) + "."
            + DigitText.padded(fraction, width: 3) + "Z"
    }

    /// A date rounded to the millisecond, the precision Casebook stores.
    public static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
