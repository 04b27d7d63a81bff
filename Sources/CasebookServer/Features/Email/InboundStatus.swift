/// Where a stored inbound mail stands; the raw value is what `inbound_messages.status` holds and the API shows.
enum InboundStatus: String, Sendable, CaseIterable {
    case received, processed, failed, duplicate
    /// Its sender wrote faster than a person can: kept, not applied (a loop with another robot).
    case rateLimited = "rate_limited"
    /// It carried our own X-Loop or passed too many servers.
    case loop
    /// A stranger's new request waiting for an admin to release it.
    case held
    case ignoredBounce = "ignored_bounce"
    case ignoredAutoReply = "ignored_auto_reply"
    case ignoredBulk = "ignored_bulk"
}
