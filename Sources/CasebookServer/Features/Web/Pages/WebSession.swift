import CasebookCore
import Vapor

/// Signs page visitors in from the session cookie; anyone else is sent to the sign-in page, then back.
struct WebSignInRequired: AsyncMiddleware {
    /// Staff-only areas send customers to the portal instead.
    var staffOnly: Bool
    var adminOnly = false

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let current = try await ActorAuthenticator.resolve(request), current.viaSession else {
            let back = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return request.redirect(to: "/login?next=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        request.setCurrent(current)
        if request.session.data[Request.enrolKey] != nil, !request.url.path.hasPrefix("/account") {
            return request.redirect(to: "/account?enrol=1")
        }
        if staffOnly && !current.actor.role.isStaff { return request.redirect(to: "/portal") }
        if current.actor.role.isStaff {
            request.unreadNotices = try await NotificationRepository.unreadCount(for: current.user.id, on: request.store.sql)
        }
        if adminOnly && current.actor.role != .admin { throw Abort(.forbidden, reason: "Only administrators may open this page.") }
        return try await next.respond(to: request)
    }
}

extension PageChrome {
    /// `key` in the plural category `count` takes in `language`, with `{{count}}` filled in.
    static func counted(_ key: String, count: Int, _ fallback: String, strings: [String: String], language: String) -> String {
        let text = PluralCategory.keys(key, count: count, language: language).lazy.compactMap { strings[$0] }.first ?? fallback
        return PlaceholderTemplate.render(text, values: ["count": String(count)])
    }

    /// `key` counted in this page's language.
    func counted(_ key: String, count: Int, _ fallback: String) -> String {
        Self.counted(key, count: count, fallback, strings: t, language: lang)
    }
}

/// What every page's frame shows: title, who is signed in, the CSRF token and the strings in the reader's language.
struct PageChrome: Encodable {
    var title: String
    var csrf: String
    var userName: String?
    var isStaff: Bool
    var isAdmin: Bool
    var area: String
    var lang: String
    /// The strings in the reader's language, handed to Leaf as built once per language (see `PageStrings`).
    let strings: PageStrings
    var t: [String: String] { strings.strings }
    var flash: String?
    /// The sections this visitor may open, for the header (staff only).
    var nav: [NavItem] = []
    /// How many of their notices a member of staff has not read.
    var unread = 0
    /// The languages the switch at the foot of the page offers, the page's own chosen.
    var languages: [LanguageOption] = []
    /// This page's path and query, where the switch comes back to.
    var path = "/"
    /// The reader's chosen time zone, for the script that shows every `<time>` in it; nil follows the browser.
    var zone: String?

    enum CodingKeys: String, CodingKey {
        case title, csrf, userName, isStaff, isAdmin, area, lang, flash, nav, unread, languages, path, zone
        case strings = "t"
    }

    struct LanguageOption: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }
}

extension Request {
    /// The language of this visitor's pages: their profile's, else the one they chose with the switch, else the browser's.
    func webLanguage(preferred: String? = nil) -> String {
        LanguagePreference.pick(preferred: preferred ?? (try? current)?.language ?? chosenLanguage, acceptLanguage: headers.first(name: .acceptLanguage),
                                supported: WebText.languages)
    }

    func chrome(_ title: String, area: String, language: String? = nil) -> PageChrome {
        let current = try? self.current
        let lang = language ?? webLanguage()
        // Looking at the session only when there is one: a visitor without one gets no session cookie from a page view.
        let flash = hasSession ? session.data["casebook.flash"] : nil
        if flash != nil { session.data["casebook.flash"] = nil }
        let strings = application.webText.pageStrings(lang)
        let t = strings.strings
        let nav = current.map { $0.actor.role.isStaff ? AreaCatalog.navigation(for: $0.actor, t: t) : [] } ?? []
        var chrome = PageChrome(title: title, csrf: CSRFProtection.token(for: self), userName: current?.user.name,
                                isStaff: current?.actor.role.isStaff ?? false, isAdmin: current?.actor.role == .admin, area: area, lang: lang,
                                strings: strings, flash: flash, nav: nav, unread: unreadNotices ?? 0)
        // UTC is every new account's default, so only a zone someone chose overrides the browser's own.
        chrome.zone = current?.timeZone.flatMap { $0 == "UTC" || TimeZone(identifier: $0) == nil ? nil : $0 }
        chrome.languages = WebText.languages.map { .init(value: $0, label: WebText.nativeNames[$0] ?? $0, selected: $0 == lang) }
        // Back to this page after a language change; a sign-in page's own `next` is left out, so an address passed
        // to it is never written into the page a second time.
        let back = url.query.map { $0.contains("next=") ? url.path : url.string } ?? url.path
        chrome.path = SignInPages.safeNext(back).isEmpty ? "/" : back
        return chrome
    }

    private struct UnreadNoticesKey: StorageKey { typealias Value = Int }

    /// The signed-in member of staff's unread notices, counted once per page by the sign-in check.
    var unreadNotices: Int? {
        get { storage[UnreadNoticesKey.self] }
        set { storage[UnreadNoticesKey.self] = newValue }
    }

    /// One page string in this visitor's language; unlike `chrome`, it neither consumes the flash nor makes a CSRF token.
    func text(_ key: String, _ fallback: String) -> String {
        application.webText.strings(webLanguage())[key] ?? fallback
    }

    /// A counted page string in this visitor's language: `key_one`, `key_many` or `key_other` by the language's
    /// plural rule, with `{{count}}` filled in.
    func text(_ key: String, count: Int, _ fallback: String) -> String {
        PageChrome.counted(key, count: count, fallback, strings: application.webText.strings(webLanguage()), language: webLanguage())
    }

    /// A one-time message shown on the next page ("Reply sent").
    func flash(_ text: String) { session.data["casebook.flash"] = text }
}

extension Application {
    private struct WebTextKey: StorageKey { typealias Value = WebText }

    /// The page string catalogues, loaded once at start.
    var webText: WebText {
        get { storage[WebTextKey.self] ?? WebText(catalogs: [:]) }
        set { storage[WebTextKey.self] = newValue }
    }
}
