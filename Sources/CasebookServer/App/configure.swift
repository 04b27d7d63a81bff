import CasebookCore
import Fluent
import Leaf
import NIOPosix
import Prometheus
import Vapor

/// Wires Casebook into a Vapor application: database, services, middleware, migrations, routes.
public func configure(_ app: Application, _ configuration: CasebookConfiguration,
                      clock: @escaping @Sendable () -> Date = { Date.millisecondNow() }) async throws {
    try await configure(app, configuration, clock: clock, logFlush: { fdatasync($0) })
}

func configure(_ app: Application, _ configuration: CasebookConfiguration, clock: @escaping @Sendable () -> Date,
               logFlush: @escaping @Sendable (Int32) -> Int32) async throws {
    app.http.server.configuration.hostname = configuration.hostname
    app.http.server.configuration.port = configuration.port
    // MetricsMiddleware counts and times every request for /metrics; Vapor's own copy of those figures went to
    // swift-metrics, which Casebook never bootstraps, and only cost each request its allocations.
    app.http.server.configuration.reportMetrics = false
    app.http.server.configuration.shutdownTimeout = .seconds(Int64(configuration.stopGraceSeconds))
    app.readiness = Readiness()
    app.routes.defaultMaxBodySize = ByteCount(value: configuration.maxRequestBytes)
    app.passwords.use(.bcrypt(cost: configuration.bcryptCost))
    app.dummyPasswordHash = try app.password.hash(RandomToken.make())

    try DatabaseSetup.register(configuration.database, poolTimeout: .seconds(Int64(configuration.databasePoolTimeoutSeconds)), on: app)
    let metrics = PrometheusCollectorRegistry()
    // With `synchronous = full` the log's fsync after each commit is made off the writer, before anyone is answered.
    let logSync = configuration.sqliteSynchronous == "full" ? LogSync(logger: app.logger, flush: logFlush) : nil
    let gate = WriteGate(isEnabled: DatabaseSetup.isSQLite(app), metrics: WriteGateMetrics(registry: metrics), logger: app.logger, logSync: logSync,
                         rehearses: configuration.rehearsesWrites)
    let blockingIO = NIOThreadPool(numberOfThreads: 16)
    blockingIO.start()
    // Registered first, so it stops last (after the jobs and senders that use it), and also when a start fails below.
    app.lifecycle.use(ThreadPoolShutdown(pool: blockingIO))
    // A relay that signs in with a mailbox's OAuth2 tokens reads them when it sends, from the database set up here.
    var relayTokens: MailTransport.RelayTokens?
    if let mailbox = configuration.outbound.relayOAuthMailbox {
        relayTokens = { [app] fresh in try await MailOAuth.relayTokens(mailbox: mailbox, fresh: fresh, app: app) }
    }
    let webhookSender = WebhookSender(group: app.eventLoopGroup, blockingIO: blockingIO, timeout: .seconds(Int64(configuration.webhookTimeoutSeconds)))
    // Registered as soon as it exists: a start that fails below (the database refusing connections) still shuts its
    // HTTP client down, which otherwise traps when it is released. Registered before the background work, it also
    // shuts down after the job runner has stopped sending.
    app.lifecycle.use(webhookSender)
    let store = DatabaseSetup.store(on: app, gate: gate)
    let signals = CacheSignals.make(for: configuration.database, store: store)
    app.casebook = CasebookServices(
        configuration: configuration,
        store: store,
        blobs: BlobStores.make(configuration.blobStore, configuration: configuration, store: store, io: blockingIO),
        metrics: metrics,
        references: ReferenceAllocator(start: configuration.referenceStart),
        cacheSignals: signals,
        serviceLevels: RefreshingCache("service_levels", signals: signals) { try await ServiceLevelCatalog.load(on: $0) },
        automations: RefreshingCache("automations", signals: signals) { try await AutomationRuleRepository.loadActive(on: $0) },
        mailTransport: MailTransport.make(configuration.outbound, dataDirectory: configuration.dataDirectory, group: app.eventLoopGroup,
                                          relayTokens: relayTokens),
        webhooks: RefreshingCache("webhooks", signals: signals) { try await WebhookRepository.loadActive(on: $0) },
        webhookSender: webhookSender,
        teamAddresses: RefreshingCache("team_addresses", signals: signals, lifetime: 30) { Set(try await MailAddressRepository.all(on: $0).map(\.address)) },
        texts: try WebText.load(),
        blockingIO: blockingIO,
        clock: clock)

    ContentConfiguration.global.use(encoder: ContentConfiguration.jsonEncoder, for: .json)
    ContentConfiguration.global.use(decoder: TextOnlyJSONDecoder(json: ContentConfiguration.jsonDecoder), for: .json)

    app.sessions.use { _ in WebSessionDriver() }
    app.sessions.configuration = SessionsConfiguration(cookieName: "casebook_session") { id in
        HTTPCookies.Value(string: id.string, maxAge: 60 * 60 * 12, path: "/", isSecure: configuration.secureCookies,
                          isHTTPOnly: true, sameSite: .lax)
    }

    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(MetricsMiddleware(registry: app.casebook.metrics))
    app.middleware.use(ProblemMiddleware())
    try WebSetup.configure(app)

    try await DatabaseSetup.prepareSchema(configuration.database, on: app)
    Migrations.register(on: app)
    try await app.autoMigrate()
    try await DatabaseSetup.tuneSQLite(on: app, synchronous: configuration.sqliteSynchronous)
    app.jobs = JobRunner(services: app.casebook, handlers: JobHandlers.all)
    app.queueCounts = QueueCountCache(lifetime: TimeInterval(app.casebook.configuration.queueCountSeconds))
    // Registered first so it shuts down last, after the background work that may still be running statements.
    app.lifecycle.use(gate.statements)
    app.lifecycle.use(WALCheckpointer.chore())
    app.lifecycle.use(SearchIndexer.chore())
    app.lifecycle.use(DatabaseSetup.statisticsChore())
    app.backgroundWork = BackgroundWork()
    app.lifecycle.use(app.backgroundWork)
    app.lifecycle.use(CacheListener())
    try routes(app)
}

extension Date {
    /// Now, to the millisecond: every stored time has this precision on both databases.
    public static func millisecondNow() -> Date {
        Timestamp.rounded(Date())
    }
}
