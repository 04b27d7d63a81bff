/// What a timeline entry records; the raw value is what `timeline_entries.kind` stores and the API shows.
public enum TimelineKind: String, Sendable, CaseIterable, Codable {
    case created, message
    case fieldChanged = "field_changed"
    case problemLinked = "problem_linked"
    case problemChoice = "problem_choice"
    case articleLinked = "article_linked"
    case rcaSent = "rca_sent"
    case ruleApplied = "rule_applied"
    case ruleFailed = "rule_failed"
    case escalated
    /// A rule asked to escalate past the highest tier that has a group; the case stayed where it was.
    case escalationHeld = "escalation_held"
    case notification
    case templateSent = "template_sent"
    case slaWarning = "sla_warning"
    case slaBreach = "sla_breach"
    /// Linked to another case (related, parent or child, duplicate).
    case caseLinked = "case_linked"
    /// A public reply waits for review by a colleague fluent in its language (`new` is the language).
    case replyHeld = "reply_held"
    /// A held reply was settled: `field` says how (sent, returned, withdrawn), `new` carries the reviewer's note.
    case replyReviewed = "reply_reviewed"
}
