@testable import CasebookServer
import Testing

/// The case record written in Swift escapes everything it is given and words itself in the reader's language.
@Suite("Timeline HTML")
struct TimelineHTMLTests {
    static func item(position: Int, message: Bool, note: Bool = false, author: String = "Ana", text: String? = nil, html: String? = nil,
                     change: String? = nil, tone: String? = nil, remote: Bool = false, files: [TimelineItem.Attachment] = []) -> TimelineItem {
        TimelineItem(position: position, kind: message ? "message" : "field_changed", isMessage: message, isInternal: note, author: author,
                     at: "2026-12-05 10:00 UTC", atISO: "2026-12-05T10:00:00Z", text: text, html: html, hasRemoteImages: remote, imagesShown: false,
                     messageID: message ? "m-\(position)" : nil, change: change, tone: tone, attachments: files)
    }

    @Test("hostile names, texts, file names and change lines come out as text, never as markup")
    func escapesEverything() {
        let hostile = #"<script>alert("x")</script>' onmouseover='x"#
        let items = [
            Self.item(position: 1, message: true, author: hostile, text: hostile, tone: "angry\"><b>",
                      files: [.init(id: "f\"1", filename: hostile, size: 12)]),
            Self.item(position: 2, message: false, author: hostile, change: hostile),
        ]
        let html = TimelineHTML(reference: "CB-1", desk: true, t: [:]).render(items)
        #expect(!html.contains("<script"))
        #expect(!html.contains("' onmouseover"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;x"))
        #expect(html.contains(#"href="/api/v1/cases/CB-1/attachments/f&quot;1""#))
        #expect(html.contains("(12 bytes)"))
    }

    @Test("a sanitised email body goes in as HTML, with the remote-images switch on the desk only")
    func emailBody() {
        let items = [Self.item(position: 3, message: true, html: #"<p>Hello <img data-remote-src="https://x.example/a.png"></p>"#, remote: true)]
        let desk = TimelineHTML(reference: "CB-1", desk: true, t: [:]).render(items)
        #expect(desk.contains(#"<div class="email-body"><p>Hello <img data-remote-src="https://x.example/a.png"></p></div>"#))
        #expect(desk.contains(#"<a href="?images=m-3#entry-3">Show images in this message</a>"#))
        let portal = TimelineHTML(reference: "CB-1", desk: false, t: [:]).render(items)
        #expect(!portal.contains("?images="))
        #expect(!portal.contains("badge"))
    }

    @Test("badges, tones and labels come from the reader's catalogue")
    func wordedInTheReadersLanguage() {
        let spanish = ["timeline_label": "Historial del caso", "timeline_internal_note": "Nota interna", "timeline_public": "Pública",
                       "tone_angry": "enfadado", "timeline_file_size": "{{size}} bytes", "message": "Mensaje"]
        let items = [Self.item(position: 1, message: true, note: true, text: "Nota"),
                     Self.item(position: 2, message: true, text: "Hola", tone: "angry")]
        let html = TimelineHTML(reference: "CB-1", desk: true, t: spanish).render(items)
        #expect(html.contains(#"aria-label="Historial del caso""#))
        #expect(html.contains(#"<span class="badge internal-badge">Nota interna</span>"#))
        #expect(html.contains(#"<span class="badge public-badge">Pública</span>"#))
        #expect(html.contains(#"<span class="tone tone-angry">enfadado</span>"#))
        #expect(html.contains(#"class="entry message internal" id="entry-1""#))
        #expect(html.contains(#"aria-label="Mensaje — Ana""#))
    }
}
