import CasebookCore

/// The case record as HTML, for the desk's and the portal's case pages.
///
/// Written here rather than in a Leaf template: Leaf resolves every `#(…)` through its interpreter, and a 200-entry
/// record cost about half of the desk case page's time that way. Every value is escaped here; only an email body
/// already sanitised by `HTMLSanitizer` goes in as HTML.
struct TimelineHTML {
    /// The case's reference, for attachment links.
    let reference: String
    /// The desk shows badges, tones and the remote-images switch; the portal does not.
    let desk: Bool
    /// The reader's catalogue.
    let t: [String: String]
    /// The page's form token; with it (desk only) each customer message offers to correct its tone.
    var csrf: String? = nil

    func render(_ items: [TimelineItem]) -> String {
        var html = "<ol class=\"timeline\" aria-label=\"\(Self.escape(word("timeline_label", "Case record")))\">\n"
        html.reserveCapacity(items.count * 600)
        for item in items {
            if item.isMessage { message(item, into: &html) } else { change(item, into: &html) }
        }
        html += "</ol>\n"
        return html
    }

    private func message(_ item: TimelineItem, into html: inout String) {
        let author = Self.escape(item.author)
        let kind = item.isInternal ? word("timeline_internal_note", "Internal note") : word("message", "Message")
        html += "<li class=\"entry message \(item.isInternal ? "internal" : "public")\" id=\"entry-\(item.position)\">"
        let anchor = item.messageID.map { " id=\"message-\(Self.escape($0))\"" } ?? ""
        html += "<article\(anchor) aria-label=\"\(Self.escape(kind)) — \(author)\"><header><strong>\(author)</strong> "
        if desk {
            html += item.isInternal
                ? "<span class=\"badge internal-badge\">\(Self.escape(word("timeline_internal_note", "Internal note")))</span>"
                : "<span class=\"badge public-badge\">\(Self.escape(word("timeline_public", "Public")))</span>"
        }
        html += "\n<time datetime=\"\(Self.escape(item.atISO))\">\(Self.escape(item.at))</time>"
        if let tone = item.tone, desk {
            if let csrf, let messageID = item.messageID {
                tonePanel(item, tone: tone, messageID: messageID, csrf: csrf, into: &html)
            } else {
                html += "<span class=\"tone tone-\(Self.escape(tone))\">\(Self.escape(word("tone_" + tone, tone)))</span>"
            }
        }
        html += "</header>\n"
        if let body = item.html {
            html += "<div class=\"email-body\">\(body)</div>\n"
            if item.hasRemoteImages && desk { remoteImages(item, into: &html) }
        } else {
            html += "<div class=\"text-body\">\(Self.escape(item.text ?? ""))</div>\n"
        }
        if !item.attachments.isEmpty {
            html += "<ul class=\"attachments\">"
            for file in item.attachments {
                let size = PlaceholderTemplate.render(word("timeline_file_size", "{{size}} bytes"), values: ["size": String(file.size)])
                html += "<li><a href=\"/api/v1/cases/\(Self.escape(reference))/attachments/\(Self.escape(file.id))\">\(Self.escape(file.filename))</a> (\(Self.escape(size)))</li>"
            }
            html += "</ul>"
        }
        html += "</article></li>\n"
    }

    /// The tone badge opens to the words that decided it and a form to correct it.
    private func tonePanel(_ item: TimelineItem, tone: String, messageID: String, csrf: String, into html: inout String) {
        let id = Self.escape(messageID)
        html += "<details class=\"tone-why\"><summary><span class=\"tone tone-\(Self.escape(tone))\">\(Self.escape(word("tone_" + tone, tone)))</span>"
        html += "<span class=\"visually-hidden\"> \(Self.escape(word("tone_why_open", "why, and correct it")))</span></summary><div class=\"tone-panel\">"
        if let setBy = item.toneSetBy {
            html += "<p>\(Self.escape(PlaceholderTemplate.render(word("tone_set_by", "Set by hand by {{name}}."), values: ["name": setBy])))</p>"
        } else if item.toneWhy.isEmpty {
            html += "<p>\(Self.escape(word("tone_why_none", "No word in the message pointed to another tone.")))</p>"
        } else {
            let words = item.toneWhy.map { "“" + $0 + "”" }.joined(separator: ", ")
            html += "<p>\(Self.escape(PlaceholderTemplate.render(word("tone_why", "Read this way because of: {{words}}."), values: ["words": words])))</p>"
        }
        html += "<form method=\"post\" action=\"/desk/cases/\(Self.escape(reference))/messages/\(id)/tone\" class=\"inline tone-correct\">"
        html += "<input type=\"hidden\" name=\"_csrf\" value=\"\(Self.escape(csrf))\">"
        html += "<label for=\"tone-\(id)\">\(Self.escape(word("tone_correct_label", "Correct the tone")))</label> <select id=\"tone-\(id)\" name=\"tone\">"
        for choice in Tone.allCases.map(\.rawValue) {
            html += "<option value=\"\(choice)\"\(choice == tone ? " selected" : "")>\(Self.escape(word("tone_" + choice, choice)))</option>"
        }
        html += "</select> <button type=\"submit\">\(Self.escape(word("tone_correct_save", "Save tone")))</button></form></div></details>"
    }

    private func remoteImages(_ item: TimelineItem, into html: inout String) {
        if item.imagesShown {
            html += "<p class=\"hint\">\(Self.escape(word("timeline_images_shown", "Remote images shown.")))</p>\n"
        } else {
            let link = "?images=\(Self.escape(item.messageID ?? ""))#entry-\(item.position)"
            html += "<p class=\"hint\">\(Self.escape(word("timeline_images_blocked", "Remote images are blocked."))) "
            html += "<a href=\"\(link)\">\(Self.escape(word("timeline_images_show", "Show images in this message")))</a></p>\n"
        }
    }

    private func change(_ item: TimelineItem, into html: inout String) {
        html += "<li class=\"entry change\(item.isInternal ? " internal" : "")\" id=\"entry-\(item.position)\"><span>"
        html += "\(Self.escape(item.author)): \(Self.escape(item.change ?? ""))</span> "
        html += "<time datetime=\"\(Self.escape(item.atISO))\">\(Self.escape(item.at))</time></li>\n"
    }

    private func word(_ key: String, _ english: String) -> String { t[key] ?? english }

    private static func escape(_ text: String) -> String { HTMLEntities.escape(text) }
}
