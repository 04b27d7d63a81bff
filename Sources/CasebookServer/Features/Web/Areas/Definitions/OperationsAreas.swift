import CasebookCore

/// What runs behind the desk: background jobs and dead letters, the mail queues both ways, custom fields, API tokens.
enum OperationsAreas {
    static let all: [Area] = [jobs, mailAccounts, mailAddresses, inboundMail, outboundMail, customFields, tokens]

    static let jobs = Area(
        section: .admin, name: "jobs", title: "Background jobs",
        intro: "Mail processing, sending, service-level checks and reports run here; a job that failed every attempt is dead until retried.",
        access: .manageJobs, write: .manageJobs, api: "/api/v1/jobs",
        filters: [.choice("status", "Status", ["queued", "running", "done", "dead"], blank: "any"),
                  .choice("kind", "Kind", JobKindNames.all, blank: "any")],
        columns: [AreaColumn("Kind", "kind", link: .entry), AreaColumn("Status", "status"), AreaColumn("Attempts", "attempts"),
                  AreaColumn("Runs at", "run_at"), AreaColumn("Last error", "last_error")],
        titleKey: "kind",
        actions: [AreaAction(name: "retry", form: AreaForm(title: "Retry this job", submit: "Retry", fields: []),
                             when: (key: "status", values: ["dead"]), done: "Queued again.")])

    static var mailAccountFields: [AreaField] {
        [AreaField("name", "Name", required: true, placeholder: "Support mailbox"),
         .choice("protocol", "Protocol", MailAccount.MailProtocol.allCases.map(\.rawValue), required: true,
                 help: "imap: new mail is announced at once (IDLE) and can be moved to a folder. pop3: checked at intervals; set when added."),
         AreaField("host", "Mail server", required: true, placeholder: "outlook.office365.com   Gmail: imap.gmail.com"),
         .choice("security", "Encryption", MailSecurity.allCases.map(\.rawValue), required: true,
                 help: "tls: from the first byte (IMAP 993, POP3 995). starttls: upgraded (IMAP 143, POP3 110). none: only for a server on this machine."),
         AreaField("port", "Port", .number, help: "Leave empty for the usual port."),
         AreaField("verify_certificates", "Check the server's certificate", .checkbox),
         AreaField("ca_certificates", "Company CA certificate (PEM)", .textarea, help: "Only when the server's certificate is signed by your own CA."),
         AreaField("username", "User name", required: true, placeholder: "support@yourcompany.example"),
         .choice("auth", "Sign in with", MailAccount.Authentication.allCases.map(\.rawValue), required: true,
                 help: "password: the mailbox's password (or an app password). oauth2: tokens from your provider, as Microsoft 365 and Gmail require."),
         AreaField("password", "Password", .password, help: "Kept, never shown again; leave empty to keep the one in place."),
         AreaField("oauth_token_url", "OAuth2 token endpoint", help: "Microsoft 365: login.microsoftonline.com/<tenant>/oauth2/v2.0/token. Google: oauth2.googleapis.com/token.",
                   placeholder: "https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token"),
         AreaField("oauth_client_id", "OAuth2 client (application) ID"),
         AreaField("oauth_client_secret", "OAuth2 client secret", .password, help: "Kept, never shown again; leave empty to keep the one in place."),
         AreaField("oauth_scope", "OAuth2 scope", placeholder: "https://outlook.office.com/IMAP.AccessAsUser.All offline_access   Google: https://mail.google.com/"),
         AreaField("oauth_refresh_token", "OAuth2 refresh token", .password,
                   help: "From your provider's consent for this mailbox. Kept, never shown again, and replaced when the provider hands out a new one."),
         AreaField("folder", "Folder", placeholder: "INBOX"),
         .choice("after_import", "Once a message is stored and applied", MailAccount.AfterImport.allCases.map(\.rawValue), required: true,
                 help: "seen: mark it read (POP3: leave it). move: move it to the folder below (IMAP). delete: remove it. Mail that could not be applied is left as it was."),
         AreaField("move_to", "Move to folder", help: "Made when missing.", placeholder: "Done in Casebook"),
         .choice("first_import", "The first fetch takes", MailAccount.FirstImport.allCases.map(\.rawValue), required: true,
                 help: "unseen: unread mail already there, then everything new (POP3 knows no unread: everything). all: everything in the folder. new: only mail that arrives from now on."),
         AreaField("poll_seconds", "Look every (seconds), where the server offers no IDLE", .number, placeholder: "60"),
         .pick("mail_address_id", "Its mail is to", from: "/api/v1/mail-addresses", labelKey: "address",
               help: "New cases from this mailbox are on that address: its group, and replies from it with its signature."),
         AreaField("active", "Fetch from it", .checkbox)]
    }

    static let mailAccounts = Area(
        section: .admin, name: "mail-accounts", title: "Mailboxes",
        intro: "Fetch mail from the team's own mailboxes (Microsoft 365, Google Workspace or your own IMAP server) when the domain's mail cannot "
            + "come to Casebook directly. New mail is taken as it arrives (IMAP IDLE), stored, made into a case or a reply, and only then marked "
            + "read, moved or deleted on the server. One instance fetches each mailbox at a time; nothing is fetched twice.",
        access: .ingestEmail, write: .ingestEmail, api: "/api/v1/mail-accounts",
        columns: [AreaColumn("Name", "name", link: .entry), AreaColumn("Server", "host"), AreaColumn("User", "username"), AreaColumn("Folder", "folder"),
                  AreaColumn("Fetched", "imported_count"), AreaColumn("Failed", "failed_count"), AreaColumn("Last fetch", "last_fetch_at"),
                  AreaColumn("Last problem", "last_error"), AreaColumn("Active", "active")],
        create: AreaForm(title: "Add a mailbox", submit: "Add mailbox", fields: mailAccountFields,
                         starting: ["protocol": "imap", "auth": "password", "security": "tls", "verify_certificates": "on", "folder": "INBOX", "after_import": "seen", "first_import": "unseen",
                                    "poll_seconds": "60", "active": "on"]),
        edit: AreaForm(title: "Change", submit: "Save", method: .PATCH, fields: mailAccountFields),
        actions: [AreaAction(name: "test", form: AreaForm(title: "Test", submit: "Test the connection", fields: [],
                                intro: "Connects, signs in and opens the folder: says how many messages and unread ones are there, and whether "
                                    + "the server tells Casebook of new mail at once (IDLE). Changes nothing."),
                             done: "Tested.", showsResult: true),
                  AreaAction(name: "fetch", form: AreaForm(title: "Fetch now", submit: "Fetch now", fields: [],
                                intro: "Takes what is new at once. Not needed while Casebook runs: it fetches new mail as it arrives."),
                             done: "Fetched.", showsResult: true),
                  AreaAction(name: "delete", form: AreaForm(title: "Remove", submit: "Remove this mailbox", method: .DELETE,
                                                            path: "/api/v1/mail-accounts/{id}", fields: [],
                                                            intro: "Casebook stops fetching from it; mail already fetched stays, and nothing changes on the server."),
                             done: "Removed.", returnsToList: true)])

    static var mailAddressFields: [AreaField] {
        [AreaField("address", "Address", required: true, placeholder: "sales@yourcompany.example"),
         AreaField("display_name", "Name customers see", placeholder: "Acme Sales"),
         AreaField("signature", "Signature", .textarea, help: "Under every reply an agent sends from this address."),
         .pick("group_id", "New cases go to", from: "/api/v1/groups"),
         .choice("language", "Language of new contacts who write here", WebText.languages, blank: "English")]
    }

    static let mailAddresses = Area(
        section: .admin, name: "mail-addresses", title: "Addresses",
        intro: "The team's addresses: support@, sales@, a second brand's. A case remembers the address it came in on (its mailbox's, or the "
            + "address it was sent to) and goes to that address's group; replies and notices about it go out from that address, signed with its "
            + "signature. Answers thread back whatever address they come to.",
        access: .ingestEmail, write: .ingestEmail, api: "/api/v1/mail-addresses",
        columns: [AreaColumn("Address", "address", link: .entry), AreaColumn("Name", "display_name"), AreaColumn("Signature", "signature"),
                  AreaColumn("Language of new contacts", "language")],
        titleKey: "address",
        create: AreaForm(title: "Add an address", submit: "Add address", fields: mailAddressFields),
        edit: AreaForm(title: "Change", submit: "Save", method: .PATCH, fields: mailAddressFields),
        actions: [AreaAction(name: "delete", form: AreaForm(title: "Remove", submit: "Remove this address", method: .DELETE,
                                                            path: "/api/v1/mail-addresses/{id}", fields: [],
                                                            intro: "Its cases' mail goes out from the desk's own address again."),
                             done: "Removed.", returnsToList: true)])

    static let inboundMail = Area(
        section: .admin, name: "inbound-mail", title: "Incoming mail",
        intro: "Every message received, and what became of it: held for review, failed, ignored as a bounce, an auto-reply or bulk mail.",
        access: .ingestEmail, write: .ingestEmail, api: "/api/v1/inbound/email",
        filters: [.choice("status", "Status", ["received", "processed", "failed", "duplicate", "rate_limited", "loop", "held",
                                               "ignored_bounce", "ignored_auto_reply", "ignored_bulk"], blank: "any")],
        columns: [AreaColumn("Received", "received_at"), AreaColumn("From", "sender"), AreaColumn("Subject", "subject"),
                  AreaColumn("Status", "status"), AreaColumn("Size (bytes)", "size"), AreaColumn("Problem", "error")],
        hasEntries: false,
        actions: [
            AreaAction(name: "release", form: AreaForm(title: "Release", submit: "Release", fields: []), when: (key: "status", values: ["held"]),
                       done: "Released and processed."),
            AreaAction(name: "reprocess", form: AreaForm(title: "Process again", submit: "Process again", fields: []),
                       when: (key: "status", values: ["failed"]), done: "Processed again."),
        ])

    static let outboundMail = Area(
        section: .admin, name: "outbound-mail", title: "Outgoing mail",
        intro: "Replies, notifications and notices on their way out: sent, waiting to retry, failed or bounced.",
        access: .ingestEmail, write: .ingestEmail, api: "/api/v1/outbound/email",
        filters: [.choice("status", "Status", OutboundEmailController.statuses, blank: "any")],
        columns: [AreaColumn("Created", "created_at"), AreaColumn("To", "recipients"), AreaColumn("Subject", "subject"), AreaColumn("Kind", "kind"),
                  AreaColumn("Status", "status"), AreaColumn("Attempts", "attempts"), AreaColumn("Problem", "last_error")],
        hasEntries: false,
        actions: [AreaAction(name: "retry", form: AreaForm(title: "Send again", submit: "Send again", fields: []),
                             when: (key: "status", values: ["failed", "bounced"]), done: "Queued to send again.")])

    static let customFields = Area(
        section: .admin, name: "custom-fields", title: "Custom fields",
        intro: "Extra facts every case can carry (contract number, site, severity code), shown and searchable on the case.",
        access: .readCatalog, write: .manageCatalog, api: "/api/v1/custom-fields",
        columns: [AreaColumn("Label", "label"), AreaColumn("Key", "key"), AreaColumn("Kind", "kind"), AreaColumn("Choices", "choices"),
                  AreaColumn("Required", "required"), AreaColumn("Active", "active")],
        hasEntries: false,
        create: AreaForm(title: "Add a field", submit: "Add field", fields: [
            AreaField("label", "Label", required: true), AreaField("key", "Key", required: true, help: "Lower case letters, digits and underscores; used by the API."),
            .choice("kind", "Kind", ["text", "number", "boolean", "date", "choice"], required: true),
            AreaField("choices", "Choices", .lines, help: "For a choice field: one per line."),
            AreaField("required", "Required on every case", .checkbox)]))

    static let tokens = Area(
        section: .admin, name: "tokens", title: "API tokens",
        intro: "Tokens for scripts and integrations. A token acts as the person it belongs to; it is shown once, when created.",
        access: .readPeople, write: .readPeople, api: "/api/v1/tokens",
        columns: [AreaColumn("Name", "name"), AreaColumn("Belongs to", "user_id"), AreaColumn("Ends in", "hint"),
                  AreaColumn("Created", "created_at"), AreaColumn("Last used", "last_used_at"), AreaColumn("From", "last_used_client"),
                  AreaColumn("Revoked", "revoked_at")],
        hasEntries: false,
        create: AreaForm(title: "Create a token", submit: "Create token", fields: [
            AreaField("name", "What it is for", required: true, placeholder: "Monitoring bridge")]),
        actions: [AreaAction(name: "revoke", form: AreaForm(title: "Revoke", submit: "Revoke", method: .DELETE, path: "/api/v1/tokens/{id}", fields: []),
                             when: (key: "revoked_at", values: [""]), done: "Revoked.")])
}

/// The job kinds, as the jobs page's filter offers them.
enum JobKindNames {
    static var all: [String] { JobKind.allCases.map(\.rawValue) }
}

/// Canned responses: shared replies with placeholders, per language, edited in place.
enum CannedResponseAreas {
    static var fields: [AreaField] {
        [AreaField("title", "Title", required: true),
         .choice("language", "Language", WebText.languages, required: true),
         AreaField("body", "Text", .textarea, required: true,
                   help: "Placeholders: " + PlaceholderTemplate.names.map { "{{\($0)}}" }.joined(separator: " ")),
         // As a macro, the response also changes the case when an agent applies it ("Preview as macro" on the case page).
         .choice("actions.status", "Macro: then set status", CaseStatus.allCases.map(\.rawValue), blank: "leave as is"),
         .choice("actions.priority", "Macro: set priority", Priority.allCases.map(\.rawValue), blank: "leave as is"),
         .pick("actions.assignee_id", "Macro: assign to", from: "/api/v1/users", query: ["role": "agent"]),
         .pick("actions.group_id", "Macro: move to group", from: "/api/v1/groups"),
         AreaField("actions.tags", "Macro: add tags", .lines, help: "One per line.")]
    }

    static let canned = Area(
        section: .admin, name: "canned", title: "Canned responses",
        intro: "Shared replies with placeholders, per language; agents insert them from the case page. Give one field changes and it is also "
            + "a macro: previewed on the case page, then the reply and the changes go in one step.",
        access: .readInternal, write: .manageCatalog, api: "/api/v1/canned-responses",
        columns: [AreaColumn("Title", "title", link: .entry), AreaColumn("Language", "language"), AreaColumn("Text", "body"), AreaColumn("Changed", "updated_at")],
        titleKey: "title",
        create: AreaForm(title: "Add a canned response", submit: "Add canned response", fields: fields),
        edit: AreaForm(title: "Change this response", submit: "Save response", method: .PATCH, fields: fields, sendsEverything: true),
        actions: [AreaAction(name: "delete", form: AreaForm(title: "Delete this response", submit: "Delete", method: .DELETE,
                                                           path: "/api/v1/canned-responses/{id}", fields: []), done: "Deleted.",
                             returnsToList: true)])
}
