import Foundation
import Leaf
import LeafKit
import Vapor

/// Wires the server-rendered pages: Leaf templates and static files from the bundle, string catalogues, and the
/// session, CSP and CSRF layers every page goes through.
enum WebSetup {
    /// First path components that belong to pages rather than the API.
    static let pagePrefixes: Set<String> = Set(["", "login", "logout", "desk", "portal", "password", "account", "language"] + PageSection.allCases.map(\.rawValue))

    static func isPage(_ first: String) -> Bool { pagePrefixes.contains(first) }

    static func configure(_ app: Application) throws {
        guard let resources = Bundle.module.resourceURL else { throw Abort(.internalServerError, reason: "The page resources are missing.") }
        let views = resources.appendingPathComponent("Views").path + "/"
        app.views.use(.leaf)
        app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions, .onlyLeafExtensions], sandboxDirectory: views, viewDirectory: views))
        // Not `.toVisibleFiles`: the bundle lives under `.build/` in a development checkout.
        // Templates are parsed once; they ship inside the binary's bundle and never change while it runs.
        app.leaf.cache.isEnabled = true
        app.middleware.use(StaticFiles(publicDirectory: resources.appendingPathComponent("Public").path + "/"))
        app.webText = app.casebook.texts
        app.openIDCache = OpenIDCache()
    }

    static func routes(_ app: Application) throws {
        let web = app.grouped(app.sessions.middleware).grouped(WebSecurityHeaders()).grouped(CSRFProtection())
        try web.register(collection: SignInPages())
        try web.register(collection: LanguageSwitch())
        try web.register(collection: PasswordPages())
        try web.register(collection: CompanySignInPages())
        // A change of languages changes which held replies wait for this agent; a customer's reply moves queues.
        try web.grouped(WebSignInRequired(staffOnly: false)).grouped(QueueCountCache.Invalidating()).register(collection: AccountPages())
        let desk = web.grouped(WebSignInRequired(staffOnly: true)).grouped(QueueCountCache.Invalidating())
        try desk.register(collection: DeskController())
        try desk.register(collection: LiveCaseController())
        try desk.register(collection: NotificationPages())
        try desk.register(collection: CaseDetailsController())
        try desk.register(collection: NewCasePage())
        try desk.register(collection: CaseKnowledgePage())
        try desk.register(collection: CaseCopyPages())
        try desk.register(collection: TonePages())
        try desk.register(collection: ReplyReviewPages())
        try desk.register(collection: ToneReportPage())
        try web.grouped(WebSignInRequired(staffOnly: false)).grouped(QueueCountCache.Invalidating()).register(collection: PortalController())
        try web.grouped(WebSignInRequired(staffOnly: true, adminOnly: true)).register(collection: AdminController())
        try web.grouped(WebSignInRequired(staffOnly: true, adminOnly: true)).register(collection: IntakeEditorPage())
        try web.grouped(WebSignInRequired(staffOnly: true, adminOnly: true)).register(collection: ImportUploadPage())
        try web.grouped(WebSignInRequired(staffOnly: true, adminOnly: true)).register(collection: TranslationPages())
        try desk.register(collection: AreaController(areas: AreaCatalog.all))
        try desk.register(collection: ReportPages())
    }
}
