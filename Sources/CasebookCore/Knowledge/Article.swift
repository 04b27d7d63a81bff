/// Where a knowledge article is in its life.
public enum ArticleStatus: String, Sendable, Codable, CaseIterable {
    case draft, published, archived
}

/// Who may read an article: everyone (the public portal) or staff only.
public enum ArticleAudience: String, Sendable, Codable, CaseIterable {
    case `public`
    case `internal`
}
