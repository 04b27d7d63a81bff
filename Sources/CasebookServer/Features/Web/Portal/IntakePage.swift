import CasebookCore
import Foundation
import SQLKit
import Vapor

/// The portal's filing form for one category: its intake questions with why each is asked, what the record already answers,
/// and branches that a script shows and hides (without a script every question shows, saying when it applies).
enum IntakePage {
    struct Context: Encodable {
        var page: PageChrome
        var categoryID: String
        var categoryName: String
        var flowVersion: Int?
        var subject: String
        var description: String
        var subjectError: String?
        var descriptionError: String?
        var formError: String?
        var questions: [Question]
        var hasErrors: Bool
        /// Shown in the admin's preview of an unpublished flow: nothing can be filed from it.
        var isPreview = false
    }

    struct Question: Encodable {
        var key: String
        var label: String
        var why: String
        /// The content language, when no translation into the page's language exists (`lang` on the words).
        var labelLang: String?
        var whyLang: String?
        var kind: String
        var required: Bool
        var options: [Option]
        var value: String
        var known: String?
        var error: String?
        var showWhen: String?
        var showValues: String?
        var conditionText: String?
        var isText: Bool
        var isChoice: Bool
        var isYesNo: Bool
        var isNumber: Bool
        var isDate: Bool
        var isFile: Bool
        var isVersion: Bool
    }

    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
        var lang: String? = nil
    }

    /// The form for the category's current flow, or for `draft` (the editor's preview, exactly as a customer would see it).
    static func render(req: Request, values: [String: String], subject: String, description: String, errors: [String: String],
                       draft: IntakeFlow? = nil) async throws -> View {
        let current = try req.current
        let sql = req.store.sql
        guard let categoryID = req.parameters.get("category", as: UUID.self) ?? req.parameters.get("id", as: UUID.self),
              let category = try await CatalogRepository.categoryName(categoryID, currentOnly: true, on: sql) else {
            throw Problem.notFound("The category")
        }
        let translating = TranslateContent(services: req.casebook)
        let language = req.webLanguage()
        let name = try await translating.texts(.category, items: [categoryID], language: language, on: sql)
            .text(.category, categoryID, "name", source: category)
        let chrome = req.chrome(name.text, area: "portal", language: language)
        let t = chrome.t
        let texts = try await translating.texts(.intake, items: [categoryID], language: language, on: sql)
        func words(_ field: String, _ source: String) -> TranslatedTexts.Shown { texts.text(.intake, categoryID, field, source: source) }
        var questions: [Question] = []
        var version: Int?
        let stored = try await IntakeRepository.current(categoryID: categoryID, on: sql)
        let shown = draft.map { IntakeRepository.Version(id: UUID(), categoryID: categoryID, version: (stored?.version ?? 0) + 1, flow: $0, createdAt: req.now) } ?? stored
        if let flow = shown {
            version = flow.version
            let view = try await IntakeController.view(flow, for: current, on: sql)
            let versionOptions = view.productVersions ?? []
            let labels = Dictionary(uniqueKeysWithValues: flow.flow.questions.map { ($0.key, words($0.key + ".label", $0.label).text) })
            // A branch names the earlier answers in the reader's words too.
            var answerWords: [String: String] = ["yes": t["yes"] ?? "Yes", "no": t["no"] ?? "No"]
            func answerText(_ key: String, _ value: String) -> String { answerWords[key + "|" + value] ?? answerWords[value] ?? value }
            for question in flow.flow.questions {
                for (index, option) in question.options.enumerated() { answerWords[question.key + "|" + option] = words("\(question.key).option.\(index)", option).text }
            }
            for question in flow.flow.questions {
                var value = values[question.key] ?? ""
                var known = view.known?[question.key]?.display
                // The version on record is offered as the chosen answer, still open to correction.
                if let onRecord = view.known?[question.key]?.productVersionID {
                    if value.isEmpty { value = onRecord }
                    known = nil
                }
                var options: [Option] = []
                switch question.kind {
                case .choice:
                    options = question.options.enumerated().map { index, option in
                        let label = words("\(question.key).option.\(index)", option)
                        return Option(value: option, label: label.text, selected: option == value, lang: label.fellBack ? label.language : nil)
                    }
                case .yesNo: options = [Option(value: "yes", label: t["yes"] ?? "Yes", selected: value == "yes"), Option(value: "no", label: t["no"] ?? "No", selected: value == "no")]
                case .productVersion: options = versionOptions.map { Option(value: $0.id.uuidString.lowercased(), label: $0.label, selected: $0.id.uuidString.lowercased() == value.lowercased()) }
                default: break
                }
                let condition = question.condition
                let label = words(question.key + ".label", question.label), why = words(question.key + ".why", question.why)
                questions.append(Question(
                    key: question.key, label: label.text, why: why.text, labelLang: label.fellBack ? label.language : nil,
                    whyLang: why.fellBack ? why.language : nil, kind: question.kind.rawValue, required: question.required,
                    options: options, value: value, known: known, error: errors[question.key],
                    showWhen: condition?.questionKey, showValues: condition?.equalsAny.joined(separator: "|"),
                    conditionText: condition.map { condition in
                        let answers = condition.equalsAny.map { answerText(condition.questionKey, $0) }.joined(separator: " / ")
                        return "\(t["only_if"] ?? "Only if you answered") \(answers) — \(labels[condition.questionKey] ?? condition.questionKey)"
                    },
                    isText: question.kind == .text, isChoice: question.kind == .choice, isYesNo: question.kind == .yesNo,
                    isNumber: question.kind == .number, isDate: question.kind == .date, isFile: question.kind == .file,
                    isVersion: question.kind == .productVersion))
            }
        }
        return try await req.view.render("portal-intake", Context(
            page: chrome, categoryID: categoryID.uuidString.lowercased(), categoryName: chrome.title, flowVersion: version, subject: subject,
            description: description, subjectError: errors["subject"], descriptionError: errors["description"], formError: errors["form"],
            questions: questions, hasErrors: !errors.isEmpty, isPreview: draft != nil))
    }

    /// The keys of the flow's questions the form shows this reader in the content language, for want of a translation.
    static func untranslated(_ flow: IntakeFlow?, categoryID: UUID, req: Request) async throws -> [String] {
        guard let flow else { return [] }
        let texts = try await TranslateContent(services: req.casebook).texts(.intake, items: [categoryID], language: req.webLanguage(), on: req.store.sql)
        return flow.questions.filter { question in
            TranslatableText.intakeFields(of: question).contains { texts.text(.intake, categoryID, $0.field, source: $0.source).fellBack }
        }.map(\.key)
    }

    /// What the form posted: subject, description, an `answer_<key>` field per question and a `file_<key>` upload per file question.
    struct Submission {
        var subject: String
        var description: String
        var answers: [String: String]
        var files: [AttachmentUpload]

        static func read(_ req: Request, questions: [IntakeQuestion]) throws -> Submission {
            var submission = Submission(subject: (try? req.content.get(String.self, at: "subject")) ?? "",
                                        description: (try? req.content.get(String.self, at: "description")) ?? "", answers: [:], files: [])
            for question in questions {
                if question.kind == .file {
                    if let upload = (try? req.content.get(File.self, at: "file_" + question.key))?.attachmentUpload {
                        submission.answers[question.key] = upload.filename
                        submission.files.append(upload)
                    }
                } else if let text = try? req.content.get(String.self, at: "answer_" + question.key), !text.isEmpty {
                    submission.answers[question.key] = text
                }
            }
            return submission
        }
    }
}
