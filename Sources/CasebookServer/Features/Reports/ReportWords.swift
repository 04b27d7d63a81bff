import CasebookCore
import Foundation

/// A report in the reader's language and number convention: its title, unit and fixed labels from the catalogs, and
/// CSV in the form a spreadsheet in that language opens (a decimal comma, so fields are separated by semicolons).
struct ReportWords: Sendable {
    let language: String
    let strings: [String: String]

    /// Every English text a report may show, for the catalogs (a test keeps each translated).
    static let texts = [
        "Cases opened", "First response, median (at most)", "Resolution, median (at most)", "Time between updates, median (at most)",
        "SLA attainment", "Satisfaction", "Top categories", "Top products", "Top product versions", "Backlog by age",
        "cases", "hours", "% of cases without a breach", "average score (1–5)", "open cases",
        "< 1 day", "1–3 days", "3–7 days", "7–30 days", "30–90 days", "> 90 days", "{{title}}, {{from}} to {{to}}", "No data",
    ]

    var decimalComma: Bool { language != "en" }

    func text(_ english: String, _ values: [String: String] = [:]) -> String {
        AreaText(strings: strings)(english, values)
    }

    /// The result with its words translated; the backlog's age bands are fixed labels, other points are names or dates.
    func translated(_ result: ReportQueries.Result) -> ReportQueries.Result {
        var result = result
        result.title = text(result.title)
        result.unit = text(result.unit)
        result.points = result.points.map { Self.texts.contains($0.label) ? SVGChart.Point(text($0.label), $0.value) : $0 }
        return result
    }

    /// The points as CSV with a header row in the reader's language.
    func csv(_ points: [SVGChart.Point]) -> String {
        let separator: Character = decimalComma ? ";" : ","
        let t = AreaText(strings: strings)
        func field(_ text: String) -> String { CSVField.quote(text, separator: separator) }
        // English keeps the header scripts already read; other languages name the columns in their own words.
        let header = decimalComma ? [t.label("label"), t.label("value")] : ["label", "value"]
        var csv = header.map(field).joined(separator: String(separator)) + "\r\n"
        for point in points {
            let value = decimalComma ? String(point.value).replacingOccurrences(of: ".", with: ",") : String(point.value)
            csv += field(point.label) + String(separator) + field(value) + "\r\n"
        }
        return csv
    }
}
