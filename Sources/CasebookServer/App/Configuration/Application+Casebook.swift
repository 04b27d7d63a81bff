import CasebookCore
import Prometheus
import NIOPosix
import Vapor

/// The services Casebook adds to a Vapor application, kept under one storage key.
struct CasebookServices: Sendable {
    let configuration: CasebookConfiguration
    let store: Store
    /// Stored files: attachments, call recordings and large inbound mail.
    let blobs: any BlobStore
    let metrics: PrometheusCollectorRegistry
    let references: ReferenceAllocator
    /// Announces changes to the cached tables below to every instance on the same PostgreSQL.
    let cacheSignals: CacheSignals
    let serviceLevels: RefreshingCache<ServiceLevelCatalog>
    let automations: RefreshingCache<[AutomationRule]>
    let mailTransport: MailTransport
    /// Active webhook and chat subscriptions, consulted by every event.
    let webhooks: RefreshingCache<[WebhookSubscription]>
    let webhookSender: WebhookSender
    /// The team's addresses (lower case), which the SMTP listener takes mail for besides its configured recipients.
    let teamAddresses: RefreshingCache<Set<String>>
    /// The message catalogs, for text written outside a request (chat notifications).
    let texts: WebText
    /// Threads for blocking file I/O (fsync), so event loops never wait on the disk.
    let blockingIO: NIOThreadPool
    var clock: @Sendable () -> Date
}

extension Application {
    private struct CasebookServicesKey: StorageKey {
        typealias Value = CasebookServices
    }

    /// Casebook's services; set once by `configure`.
    var casebook: CasebookServices {
        get { configured(CasebookServicesKey.self) }
        set { storage[CasebookServicesKey.self] = newValue }
    }

    /// A value `configure` stored under `key`; asking before it ran is a programming error.
    func configured<Key: StorageKey>(_ key: Key.Type) -> Key.Value {
        guard let value = storage[key] else { fatalError("configure(_:_:) has not run for this application") }
        return value
    }
}

extension Request {
    var casebook: CasebookServices { application.casebook }
    var store: Store { application.casebook.store }
    var now: Date { application.casebook.clock() }
}
