import CasebookCore

/// Telling other systems what happens: webhook and chat subscriptions, and the log of every delivery.
enum IntegrationAreas {
    static let all: [Area] = [webhooks, deliveries, imports]

    static var fields: [AreaField] {
        [AreaField("name", "Name", required: true, placeholder: "Warehouse system"),
         AreaField("url", "URL", required: true, help: "Where events are posted. Loopback, private and link-local addresses are refused unless private targets are allowed below.",
                   placeholder: "https://hooks.example.com/casebook"),
         .choice("format", "Format", WebhookFormat.allCases.map(\.rawValue), required: true,
                 help: "json: Casebook's payload, signed (Casebook-Signature). slack, mattermost, teams: a message for that chat's incoming webhook."),
         AreaField("events", "Events", .lines, required: true, help: "One per line: " + WebhookEvent.subscribable.map(\.rawValue).joined(separator: ", ") + "."),
         .pick("group_id", "Only cases of group", from: "/api/v1/groups", help: "Leave empty for every group; alerts always go."),
         .choice("language", "Language of chat messages", WebText.languages),
         AreaField("pause_after", "Pause after this many failed attempts in a row", .number),
         AreaField("allow_private", "Allow private targets (loopback, office network)", .checkbox),
         AreaField("active", "Active", .checkbox)]
    }

    static let webhooks = Area(
        section: .admin, name: "webhooks", title: "Webhooks and chat",
        intro: "Tell other systems and chat channels what happens: cases opened, replied to, solved; service levels at risk; alerts; survey answers. "
            + "Failed deliveries are retried with back-off; after repeated failures the subscription pauses and keeps what it would have sent.",
        access: .manageIntegrations, write: .manageIntegrations, api: "/api/v1/webhooks",
        columns: [AreaColumn("Name", "name", link: .entry), AreaColumn("Format", "format"), AreaColumn("Events", "events"),
                  AreaColumn("URL", "url"), AreaColumn("Paused", "paused"), AreaColumn("Failures in a row", "consecutive_failures")],
        create: AreaForm(title: "Add a webhook or chat channel", submit: "Add", fields: fields,
                         intro: "The signing secret is shown once, on the page that follows; give it to the receiver to check signatures."),
        edit: AreaForm(title: "Change", submit: "Save", method: .PATCH, fields: fields),
        actions: [
            AreaAction(name: "resume", form: AreaForm(title: "Resume", submit: "Resume sending", fields: [],
                                                      intro: "Sends everything held while paused, and counts failures afresh."),
                       when: (key: "paused", values: ["yes"]), done: "Resumed; held deliveries are on their way."),
            AreaAction(name: "test", form: AreaForm(title: "Send a test event", submit: "Send a test event", fields: [],
                                                    intro: "Posts a short test message now, signed like any event; its result is in the delivery log."),
                       done: "Test event queued; see the delivery log."),
            AreaAction(name: "rotate-secret", form: AreaForm(title: "New signing secret", submit: "Make a new secret", fields: [],
                                                             intro: "The old secret stops working at once; the new one is shown once."),
                       done: "A new secret is in place."),
            AreaAction(name: "delete", form: AreaForm(title: "Remove", submit: "Remove this subscription", method: .DELETE, path: "/api/v1/webhooks/{id}",
                                                      fields: [], intro: "Its delivery log goes with it."),
                       done: "Removed.", returnsToList: true),
        ],
        links: [AreaLink(title: "Delivery log", path: "/admin/webhook-deliveries?webhook_id={id}")],
        hiddenKeys: ["secret"])

    static let deliveries = Area(
        section: .admin, name: "webhook-deliveries", title: "Webhook deliveries",
        intro: "Every event sent to a webhook or chat channel: what the receiver answered, each attempt, and a button to send it again.",
        access: .manageIntegrations, write: .manageIntegrations, api: "/api/v1/webhook-deliveries",
        filters: [.pick("webhook_id", "Webhook", from: "/api/v1/webhooks"),
                  .choice("status", "Status", WebhookDeliveryStatus.allCases.map(\.rawValue), blank: "any")],
        columns: [AreaColumn("Created", "created_at", link: .entry), AreaColumn("Webhook", "webhook_id", link: .area("/admin/webhooks")),
                  AreaColumn("Event", "event"), AreaColumn("Case", "case_reference", link: .casePage), AreaColumn("Status", "status"),
                  AreaColumn("Attempts", "attempts"), AreaColumn("Answer", "response_code"), AreaColumn("Problem", "last_error")],
        titleKey: "event",
        actions: [AreaAction(name: "redeliver", form: AreaForm(title: "Send again", submit: "Send again", fields: [],
                                                               intro: "The same body, freshly signed, under the same delivery id."),
                             when: (key: "status", values: ["delivered", "failed", "held"]), done: "Queued to send again.")])

    static let imports = Area(
        section: .admin, name: "imports", title: "Imports from other help desks",
        intro: "Bring your history over from Request Tracker 5, Zendesk or Freshdesk: queues and groups come along, people and organisations "
            + "too, and every ticket arrives with its whole history in order, comments internal, custom fields and links kept, attachments "
            + "byte for byte and dates kept. Run it again later to pick up new tickets: nothing is imported twice.",
        access: .manageIntegrations, write: .manageIntegrations, api: "/api/v1/imports",
        columns: [AreaColumn("Started", "started_at", link: .entry), AreaColumn("Source", "source"), AreaColumn("From", "base_url"),
                  AreaColumn("Status", "status"), AreaColumn("Progress (%)", "progress"), AreaColumn("Imported", "imported"),
                  AreaColumn("Already here", "skipped"), AreaColumn("Failed", "failed")],
        titleKey: "base_url",
        create: AreaForm(title: "Import from another help desk", submit: "Start the import", fields: [
            AreaField("source", "From", .select, required: true, options: [
                AreaOption(value: "rt", label: "Request Tracker 5"), AreaOption(value: "zendesk", label: "Zendesk (an export)"),
                AreaOption(value: "freshdesk", label: "Freshdesk (an export)")]),
            AreaField("url", "RT's address", help: "Request Tracker only.", placeholder: "https://rt.example.com"),
            AreaField("user", "RT user", help: "Someone who sees every ticket, such as root. RT checks a password once per import; a token on every request."),
            AreaField("password", "Password", .password),
            AreaField("token", "Or an RT auth token", .password),
            AreaField("folder", "Export folder",
                      help: "Zendesk or Freshdesk: the folder inside the server's import folder (CASEBOOK_IMPORT_DIR) where the export is unpacked.",
                      placeholder: "zendesk-2026-12")],
            intro: "Request Tracker's address and credentials, or the export's folder, are checked first; the import then runs in the "
                + "background. Reload this page to follow it."),
        listLinks: [AreaLink(title: "Upload an export (.zip)", path: ImportUploadPage.path)])
}
