import CasebookCore
import Foundation

/// Everything Casebook reads from its environment, decoded once and checked at start-up.
public struct CasebookConfiguration: Sendable {
    /// Which database to use; the only place the choice is made.
    public enum DatabaseLocation: Sendable, Equatable {
        case sqlite(path: String)
        /// PostgreSQL; `schema`, when set, is created if missing and used as the search path.
        case postgres(url: String, schema: String? = nil)
        /// A throw-away database for tests.
        case sqliteMemory

        /// Whether several instances may share this database.
        public var isPostgres: Bool {
            if case .postgres = self { return true }
            return false
        }
    }

    public var database: DatabaseLocation
    public var dataDirectory: String
    public var hostname: String
    public var port: Int
    public var referencePrefix: String
    public var referenceStart: Int
    public var maxAttachmentBytes: Int
    public var maxRequestBytes: Int
    public var bcryptCost: Int
    public var secureCookies: Bool
    public var logLevel: String
    public var logFormat: LogFormat
    public var sqliteSynchronous: String
    /// Whether this process runs the background job loop (the CLI's one-shot commands do not).
    public var runsJobs: Bool = true
    /// How long a request waits for a PostgreSQL connection before it is answered 503 (the test harness, whose parallel
    /// suites saturate both cores, waits longer).
    public var databasePoolTimeoutSeconds = 10
    /// How long the desk's queue counts are reused before they are counted again (`CASEBOOK_QUEUE_COUNT_SECONDS`; 0 counts
    /// on every page).
    public var queueCountSeconds = 5
    /// The language admins write categories, intake questions and workarounds in (`CASEBOOK_CONTENT_LANGUAGE`): what a
    /// customer reads where no translation into theirs exists.
    public var contentLanguage = "en"
    /// How long a webhook receiver has to answer before the attempt counts as failed (`CASEBOOK_WEBHOOK_TIMEOUT_SECONDS`).
    public var webhookTimeoutSeconds = 10
    /// Where unpacked Zendesk and Freshdesk exports are put for an import from the admin pages
    /// (`CASEBOOK_IMPORT_DIR`; nil is `imports` in the data directory). Shared by every instance, like the files.
    public var importDirectory: String?
    /// The largest export zip the admin pages take as an upload (`CASEBOOK_IMPORT_UPLOAD_MAX_MB`, in MB); a larger one
    /// is copied into the import folder by hand.
    public var importUploadLimit = 2_048 << 20
    /// Where stored files live (`CASEBOOK_BLOB_STORE`: `directory` or `database`); nil is the database on PostgreSQL,
    /// so every instance reads what any one stored, and a folder of the data directory on SQLite.
    public var blobStoreChoice: BlobStoreKind?
    /// The file store in use.
    public var blobStore: BlobStoreKind {
        blobStoreChoice ?? (database.isPostgres ? .database : .directory)
    }
    /// How long a stopping instance keeps serving while `/healthz` answers 503, so a load balancer takes it out before
    /// it stops accepting (`CASEBOOK_STOP_DRAIN_SECONDS`); nil is 2 s on PostgreSQL, where instances sit behind a
    /// balancer, and none on SQLite, where one instance serves alone.
    public var stopDrainChoice: Int?
    /// The drain in use.
    public var stopDrain: Duration { .seconds(stopDrainChoice ?? (database.isPostgres ? 2 : 0)) }
    /// How long requests, SMTP transactions and jobs in flight have to finish once an instance stops
    /// (`CASEBOOK_STOP_GRACE_SECONDS`); what is still running then is cut (a job's lease is released first).
    public var stopGraceSeconds = 20
    /// The folder an import from the admin pages reads exports from.
    public var importFolder: String { importDirectory ?? (dataDirectory as NSString).appendingPathComponent("imports") }
    /// Tests only: every SQLite write body runs once and is rolled back before it runs for real, so the suite proves
    /// each body may run twice, as the write gate's retry of a failed batch requires (set by the test harness).
    public var rehearsesWrites = false
    /// The built-in SMTP listener; nil when it is off.
    public var smtp: SMTPSettings?
    /// How notifications and replies are sent.
    public var outbound = OutboundSettings()
    /// What a new case from an address we do not know (no contact, no organisation's domain) does.
    public var unknownSenders = UnknownSenders.create
    /// Equipment, monitoring and phone settings.
    public var equipment = EquipmentSettings()
    /// Early warnings about product versions.
    public var insight = InsightSettings()

    /// The choice for mail from strangers: open a case and a contact, or hold it for an admin to release.
    public enum UnknownSenders: String, Sendable { case create, hold }

    /// The sending side of email.
    public struct OutboundSettings: Sendable, Equatable {
        /// Which transport carries outbound mail.
        public enum Transport: String, Sendable { case smtp, file, none }

        public var transport: Transport = .file
        /// Our address: From on automatic mail, Reply-To on everything, so answers come back to the desk.
        public var fromAddress = "support@casebook.localhost"
        public var fromName = "Casebook Support"
        public var fileDirectory: String?
        public var relayHost = "127.0.0.1"
        public var relayPort = 25
        var relayTLS: SMTPRelayClient.TLSMode = .opportunistic
        public var verifyCertificates = true
        public var relayUsername: String?
        public var relayPassword: String?
        /// A mailbox (Admin → Mailboxes, by name) that signs in with OAuth2: its user and access tokens sign in to the
        /// relay too (SASL XOAUTH2), as Microsoft 365's and Gmail's SMTP require.
        public var relayOAuthMailbox: String?
        public var heloName = "localhost"
        /// At most this many acknowledgements per requester per hour, so a loop cannot fan out.
        public var acknowledgementsPerHour = 10

        public init() {}

        /// The domain our Message-IDs end in.
        public var messageIDDomain: String { String(fromAddress.split(separator: "@").last ?? "casebook.localhost") }
    }

    /// Where and for whom the SMTP listener takes mail.
    public struct SMTPSettings: Sendable, Equatable {
        public var host: String
        public var port: Int
        /// The name in the banner and in `Received:` lines.
        public var hostname: String
        /// Addresses we take mail for (`support@example.com`) or whole domains (`@example.com`), lower-case.
        public var recipients: [String]
        public var tlsCertificatePath: String?
        public var tlsKeyPath: String?
        public var requiresTLS: Bool

        public init(host: String = "127.0.0.1", port: Int = 2525, hostname: String = "localhost", recipients: [String],
                    tlsCertificatePath: String? = nil, tlsKeyPath: String? = nil, requiresTLS: Bool = false) {
            self.host = host
            self.port = port
            self.hostname = hostname
            self.recipients = recipients
            self.tlsCertificatePath = tlsCertificatePath
            self.tlsKeyPath = tlsKeyPath
            self.requiresTLS = requiresTLS
        }

        /// Whether `address` (lower-case) is one we take mail for; `support+CB-10423@…` counts as `support@…`,
        /// because our Reply-To carries the case tag that way.
        public func accepts(_ address: String) -> Bool {
            let plain = CaseAddress.withoutTag(address)
            return recipients.contains { entry in entry.hasPrefix("@") ? plain.hasSuffix(entry) : plain == entry }
        }
    }

    /// Log output: human-readable lines or one JSON object per line.
    public enum LogFormat: String, Sendable { case text, json }

    public init(
        database: DatabaseLocation = .sqlite(path: "casebook-data/casebook.sqlite"),
        dataDirectory: String = "casebook-data", hostname: String = "127.0.0.1", port: Int = 8080,
        referencePrefix: String = "CB", referenceStart: Int = 10000, maxAttachmentBytes: Int = 25 * 1024 * 1024,
        maxRequestBytes: Int = 1024 * 1024, bcryptCost: Int = 12, secureCookies: Bool = false, logLevel: String = "info",
        logFormat: LogFormat = .text, sqliteSynchronous: String = "full"
    ) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.hostname = hostname
        self.port = port
        self.referencePrefix = referencePrefix
        self.referenceStart = referenceStart
        self.maxAttachmentBytes = maxAttachmentBytes
        self.maxRequestBytes = maxRequestBytes
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.sqliteSynchronous = sqliteSynchronous
    }

    /// Reads `CASEBOOK_*` variables, using development defaults for the ones not set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> CasebookConfiguration {
        let reader = EnvironmentReader(values: environment)
        var config = CasebookConfiguration()
        config.dataDirectory = reader.string("CASEBOOK_DATA_DIR") ?? config.dataDirectory
        config.database = .sqlite(path: (config.dataDirectory as NSString).appendingPathComponent("casebook.sqlite"))
        if let url = reader.string("CASEBOOK_DATABASE_URL") {
            config.database = try databaseLocation(from: url)
        }
        if let schema = reader.string("CASEBOOK_DATABASE_SCHEMA"), case let .postgres(url, _) = config.database {
            guard schema.count <= 63, schema.first?.isLetter == true, schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw ConfigurationError(variable: "CASEBOOK_DATABASE_SCHEMA", value: schema, expected: "a schema name of letters, digits and _")
            }
            config.database = .postgres(url: url, schema: schema.lowercased())
        }
        config.hostname = reader.string("CASEBOOK_HOST") ?? config.hostname
        config.port = try reader.integer("CASEBOOK_PORT", in: 1...65535) ?? config.port
        if let prefix = reader.string("CASEBOOK_REFERENCE_PREFIX") {
            guard Reference.isValidPrefix(prefix) else {
                throw ConfigurationError(variable: "CASEBOOK_REFERENCE_PREFIX", value: prefix,
                                         expected: "1 to 10 upper-case letters or digits, starting with a letter (e.g. CB)")
            }
            config.referencePrefix = prefix
        }
        config.referenceStart = try reader.integer("CASEBOOK_REFERENCE_START", in: 1...1_000_000_000) ?? config.referenceStart
        config.maxAttachmentBytes = try reader.integer("CASEBOOK_MAX_ATTACHMENT_BYTES", in: 1024...1_073_741_824) ?? config.maxAttachmentBytes
        config.maxRequestBytes = try reader.integer("CASEBOOK_MAX_REQUEST_BYTES", in: 1024...1_073_741_824) ?? config.maxRequestBytes
        config.webhookTimeoutSeconds = try reader.integer("CASEBOOK_WEBHOOK_TIMEOUT_SECONDS", in: 1...120) ?? config.webhookTimeoutSeconds
        config.importDirectory = reader.string("CASEBOOK_IMPORT_DIR")
        config.importUploadLimit = (try reader.integer("CASEBOOK_IMPORT_UPLOAD_MAX_MB", in: 1...1_048_576)).map { $0 << 20 } ?? config.importUploadLimit
        config.blobStoreChoice = try reader.choice("CASEBOOK_BLOB_STORE", ["directory", "database", "postgres"]).flatMap(BlobStoreKind.init(named:))
        if config.blobStoreChoice == .database, !config.database.isPostgres {
            // SQLite has one writer: a file written into it inside another write would wait for that write forever.
            throw ConfigurationError(variable: "CASEBOOK_BLOB_STORE", value: "database", expected: "directory (files go in the database only on PostgreSQL)")
        }
        config.stopDrainChoice = try reader.integer("CASEBOOK_STOP_DRAIN_SECONDS", in: 0...300)
        config.stopGraceSeconds = try reader.integer("CASEBOOK_STOP_GRACE_SECONDS", in: 1...3600) ?? config.stopGraceSeconds
        config.bcryptCost = try reader.integer("CASEBOOK_BCRYPT_COST", in: 4...31) ?? config.bcryptCost
        config.secureCookies = try reader.boolean("CASEBOOK_SECURE_COOKIES") ?? config.secureCookies
        config.logLevel = try reader.choice("CASEBOOK_LOG_LEVEL", ["trace", "debug", "info", "notice", "warning", "error", "critical"]) ?? config.logLevel
        if let format = try reader.choice("CASEBOOK_LOG_FORMAT", ["text", "json"]) {
            config.logFormat = LogFormat(rawValue: format) ?? .text
        }
        config.sqliteSynchronous = try reader.choice("CASEBOOK_SQLITE_SYNCHRONOUS", ["full", "normal"]) ?? config.sqliteSynchronous
        config.runsJobs = try reader.boolean("CASEBOOK_JOBS") ?? config.runsJobs
        config.queueCountSeconds = try reader.integer("CASEBOOK_QUEUE_COUNT_SECONDS", in: 0...300) ?? config.queueCountSeconds
        config.contentLanguage = try reader.choice("CASEBOOK_CONTENT_LANGUAGE", ["en", "es", "fr", "de"]) ?? config.contentLanguage
        config.smtp = try smtpSettings(reader, defaultHost: config.hostname)
        config.outbound = try outboundSettings(reader)
        if let policy = try reader.choice("CASEBOOK_MAIL_UNKNOWN_SENDERS", ["create", "hold"]) {
            config.unknownSenders = UnknownSenders(rawValue: policy) ?? .create
        }
        config.equipment = try equipmentSettings(reader)
        config.insight = try insightSettings(reader)
        return config
    }

    static func smtpSettings(_ reader: EnvironmentReader, defaultHost: String) throws(ConfigurationError) -> SMTPSettings? {
        guard let port = try reader.integer("CASEBOOK_SMTP_PORT", in: 0...65535) else { return nil }
        guard let list = reader.string("CASEBOOK_SMTP_RECIPIENTS") else {
            throw ConfigurationError(variable: "CASEBOOK_SMTP_RECIPIENTS", value: "",
                                     expected: "the addresses the SMTP listener takes mail for, e.g. support@example.com,@help.example.com")
        }
        let recipients = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        guard !recipients.isEmpty, recipients.allSatisfy({ $0.contains("@") && !$0.contains(" ") && !$0.hasSuffix("@") }) else {
            throw ConfigurationError(variable: "CASEBOOK_SMTP_RECIPIENTS", value: list,
                                     expected: "comma-separated addresses or @domains, e.g. support@example.com,@help.example.com")
        }
        var settings = SMTPSettings(host: reader.string("CASEBOOK_SMTP_HOST") ?? defaultHost, port: port,
                                    hostname: reader.string("CASEBOOK_SMTP_HOSTNAME") ?? ProcessInfo.processInfo.hostName,
                                    recipients: recipients)
        settings.tlsCertificatePath = reader.string("CASEBOOK_SMTP_TLS_CERT")
        settings.tlsKeyPath = reader.string("CASEBOOK_SMTP_TLS_KEY")
        guard (settings.tlsCertificatePath == nil) == (settings.tlsKeyPath == nil) else {
            throw ConfigurationError(variable: "CASEBOOK_SMTP_TLS_KEY", value: settings.tlsKeyPath ?? "",
                                     expected: "both CASEBOOK_SMTP_TLS_CERT and CASEBOOK_SMTP_TLS_KEY, or neither")
        }
        settings.requiresTLS = try reader.boolean("CASEBOOK_SMTP_REQUIRE_TLS") ?? false
        if settings.requiresTLS && settings.tlsCertificatePath == nil {
            throw ConfigurationError(variable: "CASEBOOK_SMTP_REQUIRE_TLS", value: "true", expected: "a certificate (CASEBOOK_SMTP_TLS_CERT) to require TLS with")
        }
        return settings
    }

    static func outboundSettings(_ reader: EnvironmentReader) throws(ConfigurationError) -> OutboundSettings {
        var settings = OutboundSettings()
        if let transport = try reader.choice("CASEBOOK_MAIL_TRANSPORT", ["smtp", "file", "none"]) {
            settings.transport = OutboundSettings.Transport(rawValue: transport) ?? .file
        }
        if let from = reader.string("CASEBOOK_MAIL_FROM") {
            let parts = from.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !from.contains(" ") else {
                throw ConfigurationError(variable: "CASEBOOK_MAIL_FROM", value: from, expected: "an email address such as support@example.com")
            }
            settings.fromAddress = from.lowercased()
        }
        settings.fromName = reader.string("CASEBOOK_MAIL_FROM_NAME") ?? settings.fromName
        settings.fileDirectory = reader.string("CASEBOOK_MAIL_DIR")
        settings.relayHost = reader.string("CASEBOOK_RELAY_HOST") ?? settings.relayHost
        settings.relayPort = try reader.integer("CASEBOOK_RELAY_PORT", in: 1...65535) ?? settings.relayPort
        if let mode = try reader.choice("CASEBOOK_RELAY_STARTTLS", ["required", "opportunistic", "off"]) {
            settings.relayTLS = SMTPRelayClient.TLSMode(rawValue: mode) ?? .opportunistic
        }
        settings.verifyCertificates = try reader.boolean("CASEBOOK_RELAY_VERIFY_CERTIFICATES") ?? true
        settings.relayUsername = reader.string("CASEBOOK_RELAY_USERNAME")
        settings.relayPassword = reader.string("CASEBOOK_RELAY_PASSWORD")
        settings.relayOAuthMailbox = reader.string("CASEBOOK_RELAY_OAUTH_MAILBOX")
        if settings.relayOAuthMailbox != nil, settings.relayUsername != nil {
            throw ConfigurationError(variable: "CASEBOOK_RELAY_OAUTH_MAILBOX", value: settings.relayOAuthMailbox ?? "",
                                     expected: "either a mailbox's OAuth2 sign-in or CASEBOOK_RELAY_USERNAME and CASEBOOK_RELAY_PASSWORD, not both")
        }
        guard (settings.relayUsername == nil) == (settings.relayPassword == nil) else {
            throw ConfigurationError(variable: "CASEBOOK_RELAY_PASSWORD", value: "", expected: "both CASEBOOK_RELAY_USERNAME and CASEBOOK_RELAY_PASSWORD, or neither")
        }
        settings.heloName = reader.string("CASEBOOK_MAIL_HELO") ?? ProcessInfo.processInfo.hostName
        return settings
    }

    static func databaseLocation(from url: String) throws(ConfigurationError) -> DatabaseLocation {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            guard URL(string: url)?.host != nil || url.contains("host=") else {
                throw ConfigurationError(variable: "CASEBOOK_DATABASE_URL", value: url, expected: "postgres://user:password@host:port/database")
            }
            return .postgres(url: url)
        }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else {
                throw ConfigurationError(variable: "CASEBOOK_DATABASE_URL", value: url, expected: "sqlite:///path/to/file.sqlite")
            }
            return path == ":memory:" ? .sqliteMemory : .sqlite(path: path)
        }
        throw ConfigurationError(variable: "CASEBOOK_DATABASE_URL", value: url,
                                 expected: "a postgres://… or sqlite://… URL")
    }
}
