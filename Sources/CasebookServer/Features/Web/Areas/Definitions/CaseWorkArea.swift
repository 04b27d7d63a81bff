import CasebookCore

/// The work around one case beyond the conversation: calls, repairs, its problem, root-cause reports, and turning
/// the answer into a knowledge article. Reached from the case page, so the case page itself stays one quick read.
enum CaseWorkArea {
    static let area = Area(
        section: .desk, name: "case-work", title: "Case work",
        // The forms are for the staff who work cases (agents and admins, not account managers); each operation decides again.
        intro: "", access: .readInternal, write: .manageProblems, api: "/api/v1/cases",
        columns: [AreaColumn("Case", "reference", link: .casePage), AreaColumn("Subject", "subject"), AreaColumn("Status", "status"),
                  AreaColumn("Priority", "priority"), AreaColumn("Organisation", "organisation_id"), AreaColumn("Assignee", "assignee_id")],
        hasList: false, titleKey: "subject",
        actions: [
            AreaAction(name: "time", form: AreaForm(title: "Log time", submit: "Log time", fields: [
                AreaField("minutes", "Minutes", .number, required: true, help: "Time spent without a reply to go with it: a call, a visit, research."),
                AreaField("note", "What it was for")]), done: "Time logged."),
            AreaAction(name: "links", form: AreaForm(title: "Link another case", submit: "Link case", fields: [
                AreaField("reference", "Case", required: true, placeholder: "CB-10423"),
                .choice("kind", "This case is", CaseLinkKind.chosenByHand.map(\.rawValue), required: true,
                        help: "related: about the same thing; child of: part of that bigger case; duplicate of: asks what that one already asks.")]),
                       done: "Cases linked."),
            AreaAction(name: "split", form: AreaForm(
                title: "Make a message a case of its own", submit: "Split into a new case", path: "/api/v1/cases/{id}/messages/{message_id}/split",
                fields: [AreaField("message_id", "Message", .select, required: true, source: AreaOptionSource(api: "/api/v1/cases/{id}/messages", label: "text")),
                         AreaField("subject", "Subject of the new case", help: "Left empty: the message's first line.")],
                intro: "For a customer who asked two things at once: the new case starts with that message and its files, the same requester, "
                    + "and a link to this one. The message stays here too."),
                       done: "Split into a new case.", redirect: { answer in answer["reference"]?.string.map { "/desk/cases/" + $0 } }),
            AreaAction(name: "merge", form: AreaForm(
                title: "Merge into another case", submit: "Merge into that case", path: "/api/v1/cases/{id}/merge",
                fields: [AreaField("into", "The case that remains", required: true, placeholder: "CB-10423")],
                intro: "For the same request filed twice: this case's conversation and files are copied to the other, this case is closed, "
                    + "its page leads there and mail answering it lands there. Cannot be undone."),
                       done: "Merged.", redirect: { answer in answer["reference"]?.string.map { "/desk/cases/" + $0 } }),
            AreaAction(name: "unlink", form: AreaForm(
                title: "Remove a link", submit: "Remove link", method: .DELETE, path: "/api/v1/cases/{id}/links/{link_id}",
                fields: [AreaField("link_id", "Link", .select, required: true, source: AreaOptionSource(api: "/api/v1/cases/{id}/links", label: "reference"))]),
                       done: "Link removed."),
            AreaAction(name: "calls", form: AreaForm(title: "Log a call", submit: "Log call", fields: [
                .choice("direction", "Direction", ["inbound", "outbound"], required: true),
                AreaField("number", "Number", required: true, placeholder: "+34 …"),
                AreaField("duration_seconds", "Duration (seconds)", .number, required: true),
                AreaField("notes", "Notes", .textarea)]), done: "Call logged."),
            AreaAction(name: "repairs", form: AreaForm(title: "Send something for repair", submit: "Record repair", fields: [
                AreaField("description", "What goes for repair", required: true),
                .pick("vendor_id", "Vendor", from: "/api/v1/repair-vendors"),
                .pick("asset_id", "Asset", from: "/api/v1/assets"),
                AreaField("sent_on", "Sent on", .date), AreaField("expected_on", "Expected back", .date,
                                                                    help: "Left empty: the vendor's usual turnaround."),
                AreaField("notify_customer", "Tell the customer when it is expected back", .checkbox)]), done: "Repair recorded."),
            AreaAction(name: "repair-returned", form: AreaForm(
                title: "A repair came back, or will be late", submit: "Save repair", method: .PATCH, path: "/api/v1/cases/{id}/repairs/{repair_id}",
                fields: [AreaField("repair_id", "Repair", .select, required: true, source: AreaOptionSource(api: "/api/v1/cases/{id}/repairs", label: "description")),
                         AreaField("returned_on", "Returned on", .date), AreaField("expected_on", "Now expected on", .date)]),
                       done: "Repair updated."),
            AreaAction(name: "articles", form: AreaForm(title: "Link an article", submit: "Link article", fields: [
                AreaField("article_id", "Article", .select, required: true,
                          source: AreaOptionSource(api: "/api/v1/knowledge/articles", label: "title", query: ["status": "published"]))]),
                       done: "Article linked."),
            AreaAction(name: "rca", form: AreaForm(title: "Start a root-cause report", submit: "Start report", path: "/api/v1/rca-reports",
                                                   fields: [AreaField("title", "Title", required: true)]),
                       done: "Report started.", extra: ["case_reference": "{id}"],
                       redirect: { answer in answer["id"]?.string.map { "/problems/rca/" + $0 } }),
            AreaAction(name: "article-draft", form: AreaForm(title: "Turn the answer into an article", submit: "Draft an article", fields: [],
                                                             intro: "Drafts a knowledge article from the question and the public replies; you edit it before publishing."),
                       done: "Article drafted.", redirect: { answer in answer["id"]?.string.map { "/knowledge/articles/" + $0 } }),
        ],
        related: [AreaRelated(title: "Linked cases", path: "/api/v1/cases/{id}/links"),
                  AreaRelated(title: "Time spent", path: "/api/v1/cases/{id}/time"),
                  AreaRelated(title: "Problem", path: "/api/v1/cases/{id}/problem", optional: true),
                  AreaRelated(title: "Articles that may answer it", path: "/api/v1/cases/{id}/articles"),
                  AreaRelated(title: "Calls", path: "/api/v1/cases/{id}/calls"),
                  AreaRelated(title: "Repairs", path: "/api/v1/cases/{id}/repairs"),
                  AreaRelated(title: "Root-cause reports sent", path: "/api/v1/cases/{id}/rca")],
        links: [AreaLink(title: "Back to the case", path: "/desk/cases/{id}")],
        factsFromColumnsOnly: true)
}
