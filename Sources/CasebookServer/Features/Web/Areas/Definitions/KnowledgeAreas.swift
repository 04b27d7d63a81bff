import CasebookCore

/// Knowledge articles: drafted (often from a solved case), reviewed, published to the portal or kept internal.
enum KnowledgeAreas {
    static let all: [Area] = [articles]

    static var articleFields: [AreaField] {
        [AreaField("title", "Title", required: true),
         AreaField("body", "Article", .textarea, required: true, help: "Plain text; blank lines separate paragraphs."),
         .choice("status", "Status", ["draft", "published", "archived"], required: true, help: "Published public articles appear on /kb and in the portal's suggestions."),
         .choice("audience", "Audience", ["public", "internal"], required: true, help: "Internal articles are for agents only."),
         .choice("language", "Language", ["en", "es", "fr", "de"], required: true),
         .pick("translation_of", "Translation of", from: "/api/v1/knowledge/articles", labelKey: "title",
               help: "The original this article translates: readers of this language get this version. One translation per language."),
         .pick("product_id", "Product", from: "/api/v1/products"),
         .pick("product_version_id", "Product version", from: "/api/v1/products", nested: "versions"),
         .pick("category_id", "Category", from: "/api/v1/categories")]
    }

    static let articles = Area(
        section: .knowledge, name: "articles", title: "Articles",
        intro: "Answers customers find before they ask, and agents link in replies. Helpful and not-helpful votes show which need work.",
        access: .readInternal, write: .writeKnowledge, api: "/api/v1/knowledge/articles",
        filters: [AreaField("q", "Words"), .choice("status", "Status", ["draft", "published", "archived"], blank: "any"),
                  .choice("language", "Language", ["en", "es", "fr", "de"], blank: "any")],
        columns: [AreaColumn("Article", "title", link: .entry), AreaColumn("Status", "status"), AreaColumn("Audience", "audience"),
                  AreaColumn("Language", "language"), AreaColumn("Views", "views"), AreaColumn("Helpful", "helpful"),
                  AreaColumn("Not helpful", "not_helpful"), AreaColumn("Changed", "updated_at")],
        titleKey: "title",
        create: AreaForm(title: "Write an article", submit: "Save article", fields: articleFields),
        edit: AreaForm(title: "Edit this article", submit: "Save article", method: .PATCH, fields: articleFields),
        links: [AreaLink(title: "Open on the public knowledge base", path: "/kb/{id}")])
}
