import CasebookCore
import Foundation
import Vapor

/// The public inspection page and the printable label, as self-contained HTML (no scripts, strict CSP).
enum InspectionPages {
    struct Words {
        let title, lastChecked, by, result, nextDue, never, overdue, passed, passedWithNotes, failed, location, notScheduled: String
    }

    static let english = Words(title: "Inspection tag", lastChecked: "Last checked", by: "by", result: "Result", nextDue: "Next check due",
                               never: "Not inspected yet", overdue: "overdue", passed: "Passed", passedWithNotes: "Passed, with notes",
                               failed: "Failed: under repair", location: "Location", notScheduled: "Not scheduled")
    static let spanish = Words(title: "Etiqueta de inspección", lastChecked: "Última revisión", by: "por", result: "Resultado",
                               nextDue: "Próxima revisión", never: "Aún sin inspeccionar", overdue: "vencida", passed: "Correcta",
                               passedWithNotes: "Correcta, con observaciones", failed: "Fallida: en reparación", location: "Ubicación",
                               notScheduled: "Sin programar")

    /// Spanish when the browser prefers it over English.
    static func words(acceptLanguage: String?) -> Words {
        let preferred = (acceptLanguage ?? "").split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return preferred.hasPrefix("es") ? spanish : english
    }

    static func tag(asset: AssetView, last: InspectionSummary?, nextDue: LocalDate?, today: LocalDate, words: Words, language: String) -> Response {
        let e = HTMLEntities.escape
        let result: String
        switch last?.result {
        case .passed?: result = words.passed
        case .passedWithNotes?: result = words.passedWithNotes
        case .failed?: result = words.failed
        case nil: result = words.never
        }
        let status = last?.result == .failed ? "failed" : (nextDue.map { $0 < today } ?? false) ? "overdue" : last == nil ? "none" : "ok"
        var rows = ""
        if let location = asset.location { rows += "<dt>\(e(words.location))</dt><dd>\(e(location))</dd>" }
        if let last {
            rows += "<dt>\(e(words.lastChecked))</dt><dd><time datetime=\"\(Timestamp.format(last.completedAt))\">\(e(day(last.completedAt)))</time> \(e(words.by)) \(e(last.completedBy))</dd>"
        }
        rows += "<dt>\(e(words.result))</dt><dd class=\"result\">\(e(result))</dd>"
        let due = nextDue.map { $0.description + ($0 < today ? " (\(words.overdue))" : "") } ?? words.notScheduled
        rows += "<dt>\(e(words.nextDue))</dt><dd>\(e(due))</dd>"
        let body = """
        <!doctype html><html lang="\(language)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>\(e(words.title)): \(e(asset.name))</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f6f6f4}main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;border-top:8px solid #2f6f3e}
        main.overdue{border-top-color:#9a5b00}main.failed{border-top-color:#b00020}main.none{border-top-color:#666}h1{font-size:1.4rem;margin:.2rem 0}dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{font-weight:600}dd{margin:0}.kind{color:#555}</style>
        </head><body><main class="\(status)" aria-labelledby="asset"><p class="kind">\(e(words.title)) · \(e(asset.assetType))\(asset.model.map { " · " + e($0) } ?? "")</p>
        <h1 id="asset">\(e(asset.name))</h1><dl>\(rows)</dl></main></body></html>
        """
        return HTMLPage.response(body)
    }

    static func label(_ asset: AssetView) throws -> Response {
        let e = HTMLEntities.escape
        let svg: String
        do { svg = try QRCode.encode(asset.inspectionURL, level: .medium).svg(moduleSize: 4) } catch { throw DomainError.conflict("The inspection link is too long for a QR code.") }
        let body = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Label: \(e(asset.name))</title>
        <style>@page{size:62mm 40mm;margin:2mm}body{font:10pt system-ui,sans-serif;margin:0}.label{display:flex;gap:3mm;align-items:center;width:58mm;height:36mm;border:1px dashed #999;padding:1mm}
        .label svg{width:30mm;height:30mm}h1{font-size:11pt;margin:0 0 1mm}p{margin:0;font-size:8pt}@media print{.label{border:none}}</style></head>
        <body><div class="label">\(svg)<div><h1>\(e(asset.name))</h1><p>\(e(asset.assetType))\(asset.serial.map { " · SN " + e($0) } ?? "")</p>
        <p>Scan for the inspection record</p></div></div></body></html>
        """
        return HTMLPage.response(body)
    }

    private static func day(_ date: Date) -> String { String(Timestamp.format(date).prefix(10)) }
}
