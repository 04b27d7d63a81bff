import CasebookCore
import Foundation

/// The intake editor's form: one fieldset of plain fields per question (and blank ones to add), read back into questions,
/// and the differences between two versions in words.
struct IntakeEditorForm {
    /// One question as the editor shows it: every value as the form's text.
    struct Row: Encodable {
        var index: Int
        var key = ""
        var label = ""
        var why = ""
        var kind = "text"
        var required = false
        var options = ""
        var conditionQuestion = ""
        var conditionValues = ""
        var prefill = ""
        var alreadyTried = false
        var position = ""
        var isNew = false
    }

    static let blankRows = 2

    /// The rows for the current questions, with blank rows after them to add questions.
    static func rows(for questions: [IntakeQuestion]) -> [Row] {
        var rows = questions.enumerated().map { index, question in
            Row(index: index, key: question.key, label: question.label, why: question.why, kind: question.kind.rawValue, required: question.required,
                options: question.options.joined(separator: "\n"), conditionQuestion: question.condition?.questionKey ?? "",
                conditionValues: question.condition?.equalsAny.joined(separator: ", ") ?? "", prefill: question.prefill?.rawValue ?? "",
                alreadyTried: question.alreadyTried, position: String(index + 1))
        }
        for extra in 0..<blankRows { rows.append(Row(index: questions.count + extra, position: String(questions.count + extra + 1), isNew: true)) }
        return rows
    }

    /// The rows as posted (`q3.label`, …), so a refused form shows exactly what was typed.
    static func rows(posted: [String: String]) -> [Row] {
        let indexes = Set(posted.keys.compactMap { key -> Int? in
            guard key.hasPrefix("q"), let dot = key.firstIndex(of: ".") else { return nil }
            return Int(key[key.index(after: key.startIndex)..<dot])
        }).sorted()
        return indexes.map { index in
            func value(_ name: String) -> String { posted["q\(index).\(name)"] ?? "" }
            return Row(index: index, key: value("key"), label: value("label"), why: value("why"), kind: value("kind").isEmpty ? "text" : value("kind"),
                       required: !value("required").isEmpty, options: value("options"), conditionQuestion: value("condition_question"),
                       conditionValues: value("condition_values"), prefill: value("prefill"), alreadyTried: !value("already_tried").isEmpty,
                       position: value("position"), isNew: value("key").isEmpty && value("label").isEmpty)
        }
    }

    struct Fault: Error {
        let message: String
    }

    /// The questions the rows describe, in their positions; rows left blank or marked for removal are dropped.
    static func questions(from rows: [Row], removed: Set<Int>, text t: AreaText = AreaText(strings: [:])) throws -> [IntakeQuestion] {
        var kept: [(position: Double, question: IntakeQuestion)] = []
        for row in rows where !removed.contains(row.index) {
            let key = row.key.trimmingCharacters(in: .whitespaces), label = row.label.trimmingCharacters(in: .whitespaces)
            if key.isEmpty && label.isEmpty { continue }
            guard !key.isEmpty, !label.isEmpty else { throw Fault(message: t("Question {{number}} needs both a key and a label.", ["number": String(row.index + 1)])) }
            guard let kind = IntakeQuestionKind(rawValue: row.kind) else { throw Fault(message: t("Question {{number}} has no answer type.", ["number": String(row.index + 1)])) }
            let prefill = row.prefill.isEmpty ? nil : IntakePrefill(rawValue: row.prefill)
            let values = row.conditionValues.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let condition = row.conditionQuestion.isEmpty ? nil : IntakeCondition(questionKey: row.conditionQuestion, equalsAny: values)
            let options = row.options.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let question = IntakeQuestion(key: key, label: label, why: row.why.trimmingCharacters(in: .whitespacesAndNewlines), kind: kind,
                                          required: row.required, options: options, condition: condition, prefill: prefill, alreadyTried: row.alreadyTried)
            kept.append((Double(row.position.trimmingCharacters(in: .whitespaces)) ?? Double(row.index + 1), question))
        }
        return kept.enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }.map(\.element.question)
    }

    /// "added: error_code; removed: serial; changed: company (why), version (required)".
    static func changes(from old: [IntakeQuestion], to new: [IntakeQuestion], text t: AreaText = AreaText(strings: [:])) -> String {
        let before = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Set(new.map(\.key))
        let added = new.filter { before[$0.key] == nil }.map(\.key)
        let removed = old.filter { !after.contains($0.key) }.map(\.key)
        var changed: [String] = []
        for question in new {
            guard let previous = before[question.key], previous != question else { continue }
            var what: [String] = []
            if previous.label != question.label { what.append(t("label")) }
            if previous.why != question.why { what.append(t("why")) }
            if previous.kind != question.kind { what.append(t("answer type")) }
            if previous.required != question.required { what.append(t("required")) }
            if previous.options != question.options { what.append(t("options")) }
            if previous.condition != question.condition { what.append(t("when it is asked")) }
            if previous.prefill != question.prefill { what.append(t("prefill")) }
            if previous.alreadyTried != question.alreadyTried { what.append(t("already tried")) }
            changed.append("\(question.key) (\(what.joined(separator: ", ")))")
        }
        let moved = old.map(\.key).filter(after.contains) != new.map(\.key).filter { before[$0] != nil }
        var parts: [String] = []
        if !added.isEmpty { parts.append(t("added {{keys}}", ["keys": added.joined(separator: ", ")])) }
        if !removed.isEmpty { parts.append(t("removed {{keys}}", ["keys": removed.joined(separator: ", ")])) }
        if !changed.isEmpty { parts.append(t("changed {{keys}}", ["keys": changed.joined(separator: ", ")])) }
        if moved { parts.append(t("new order")) }
        return parts.isEmpty ? t("no change from the last version") : parts.joined(separator: "; ")
    }
}
