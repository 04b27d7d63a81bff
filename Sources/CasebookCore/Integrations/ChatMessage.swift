import Foundation

/// The chat products whose incoming-webhook format Casebook speaks.
public enum ChatFormat: String, Sendable, Codable, CaseIterable {
    case slack, mattermost, teams
}

/// One notification for a chat channel: a headline, a few detail lines and a link back, already in the channel's language.
public struct ChatNotice: Sendable, Equatable {
    public var headline: String
    public var details: [(label: String, value: String)]
    public var link: URL?
    public var linkLabel: String
    /// Draws the eye to bad news (breaches, alerts) in formats that colour messages.
    public var isUrgent: Bool

    public init(headline: String, details: [(label: String, value: String)], link: URL?, linkLabel: String, isUrgent: Bool) {
        self.headline = headline
        self.details = details
        self.link = link
        self.linkLabel = linkLabel
        self.isUrgent = isUrgent
    }

    public static func == (lhs: ChatNotice, rhs: ChatNotice) -> Bool {
        lhs.headline == rhs.headline && lhs.link == rhs.link && lhs.linkLabel == rhs.linkLabel && lhs.isUrgent == rhs.isUrgent
            && lhs.details.map(\.label) == rhs.details.map(\.label) && lhs.details.map(\.value) == rhs.details.map(\.value)
    }

    /// The request body `format`'s incoming webhooks accept.
    public func body(for format: ChatFormat) -> Data {
        let object: [String: Any]
        switch format {
        case .slack: object = slack()
        case .mattermost: object = mattermost()
        case .teams: object = teams()
        }
        // Sorted keys keep bodies stable, so a redelivery sends exactly the same bytes.
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    private var colour: String { isUrgent ? "#c0392b" : "#2c6fbb" }

    /// Slack: `text` for notifications and old clients, blocks (section, fields, a button) for the message itself.
    private func slack() -> [String: Any] {
        var blocks: [[String: Any]] = [["type": "section", "text": ["type": "mrkdwn", "text": "*\(Self.slackEscaped(headline))*"]]]
        if !details.isEmpty {
            blocks.append(["type": "section", "fields": details.prefix(10).map {
                ["type": "mrkdwn", "text": "*\(Self.slackEscaped($0.label))*\n\(Self.slackEscaped($0.value))"]
            }])
        }
        if let link {
            blocks.append(["type": "actions", "elements": [[
                "type": "button", "text": ["type": "plain_text", "text": linkLabel], "url": link.absoluteString,
            ]]])
        }
        return ["text": Self.slackEscaped(headline), "blocks": blocks]
    }

    /// Mattermost: Slack-style attachments, which it renders natively.
    private func mattermost() -> [String: Any] {
        var attachment: [String: Any] = [
            "fallback": headline, "color": colour, "title": headline,
            "fields": details.map { ["title": $0.label, "value": $0.value, "short": $0.value.count < 40] },
        ]
        if let link { attachment["title_link"] = link.absoluteString }
        return ["username": "Casebook", "text": "", "attachments": [attachment]]
    }

    /// Microsoft Teams (Workflows incoming webhooks): one Adaptive Card in a message.
    private func teams() -> [String: Any] {
        var card: [String: Any] = [
            "type": "AdaptiveCard", "version": "1.4", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "body": [
                ["type": "TextBlock", "text": headline, "weight": "Bolder", "size": "Medium", "wrap": true,
                 "color": isUrgent ? "Attention" : "Default"],
                ["type": "FactSet", "facts": details.map { ["title": $0.label, "value": $0.value] }],
            ],
        ]
        if let link { card["actions"] = [["type": "Action.OpenUrl", "title": linkLabel, "url": link.absoluteString]] }
        return ["type": "message", "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": NSNull(), "content": card]]]
    }

    /// Slack treats &, < and > as control characters in message text.
    static func slackEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
