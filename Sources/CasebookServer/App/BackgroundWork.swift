import CasebookCore
import CasebookMail
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Starts and stops the work that runs beside the HTTP server: the job loop, the mailbox fetchers and the SMTP listener.
final class BackgroundWork: LifecycleHandler, Sendable {
    private let listener = NIOLockedValueBox<SMTPListener?>(nil)
    private let timer = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let mailboxes = NIOLockedValueBox<MailboxWatcher?>(nil)
    /// How often time-driven work (service-level warnings and breaches) is looked for.
    static let tick: Duration = .seconds(30)
    /// How long finished jobs are kept for admins to look at.
    static let keepFinishedJobs: TimeInterval = 7 * 86_400

    /// The SMTP listener's bound port, once it runs.
    var smtpPort: Int? { listener.withLockedValue { $0?.port } }

    func didBootAsync(_ application: Application) async throws {
        let services = application.casebook
        if services.configuration.runsJobs {
            try await application.jobs.recoverAfterRestart()
            application.jobs.start()
            startTimer(services: services, runner: application.jobs, logger: application.logger)
            let watcher = MailboxWatcher(services: services, runner: application.jobs, group: application.eventLoopGroup, client: application.client,
                                         logger: application.logger)
            watcher.start()
            mailboxes.withLockedValue { $0 = watcher }
        }
        guard let settings = services.configuration.smtp else { return }
        let tls = try settings.tlsCertificatePath.map { certificate in
            try SMTPListener.tlsContext(certificatePath: certificate, keyPath: settings.tlsKeyPath ?? "")
        }
        // Besides the configured recipients, the team's addresses (Admin → Addresses), kept fresh by the timer.
        let addresses = services.teamAddresses
        try await addresses.reload(on: services.store.sql)
        let policy = SMTPServerSession.Policy(
            hostname: settings.hostname, maxMessageBytes: ReceiveEmail.maxBytes, offersTLS: tls != nil,
            requiresTLS: settings.requiresTLS,
            acceptsRecipient: { settings.accepts($0) || addresses.lastLoaded?.contains(CaseAddress.withoutTag($0)) == true })
        let runner = application.jobs
        let started = try await SMTPListener.start(
            host: settings.host, port: settings.port, policy: policy, tls: tls, group: application.eventLoopGroup
        ) { envelope, bytes, peer in
            try await Self.store(envelope, bytes, from: peer, services: services, settings: settings, runner: runner)
        }
        listener.withLockedValue { $0 = started }
        application.logger.notice("SMTP listener started", metadata: ["address": "\(settings.host):\(started.port ?? settings.port)"])
    }

    func shutdownAsync(_ application: Application) async {
        await stop(application, grace: .zero)
    }

    /// Stops the timer and the mailbox fetchers, then lets the SMTP listener finish its transactions and the job runner
    /// its jobs, each for up to `grace`; a job still running then is cut and its lease released. Safe to call twice.
    func stop(_ application: Application, grace: Duration) async {
        timer.withLockedValue { $0?.cancel(); $0 = nil }
        let watcher = mailboxes.withLockedValue { value -> MailboxWatcher? in
            defer { value = nil }
            return value
        }
        await watcher?.stop()
        let running = listener.withLockedValue { value -> SMTPListener? in
            defer { value = nil }
            return value
        }
        async let smtpStopped: Void? = running?.stop(grace: grace)
        async let jobsStopped: Void = application.jobs.stop(grace: grace)
        _ = await (smtpStopped, jobsStopped)
    }

    /// Every tick, queues the service-level check and the time rules (a durable job, so one instance runs it even when
    /// several tick) and prunes old finished jobs.
    private func startTimer(services: CasebookServices, runner: JobRunner, logger: Logger) {
        let task = Task {
            while !Task.isCancelled {
                do {
                    let now = services.clock()
                    let began = ContinuousClock.now
                    defer { JobRunner.noteIfSlow("chore", name: "time-driven work", since: began, logger: logger) }
                    try await services.store.write { db in
                        let sql = services.store.sql(db)
                        try await ServiceLevelSweep.scheduleCheck(at: now, on: sql)
                        try await JobQueue.enqueueOrRequeue(.runTimeRules, EmptyPayload(), dedupeKey: TimeRuleSweep.key, at: now, on: sql)
                        try await JobQueue.enqueueOrRequeue(.settleAlerts, EmptyPayload(), dedupeKey: AlertSettling.key, at: now, on: sql)
                        try await JobQueue.enqueueOrRequeue(.sendSurveys, EmptyPayload(), dedupeKey: SatisfactionSurveys.key, at: now, on: sql)
                        try await JobQueue.enqueueOrRequeue(.detectWarnings, EmptyPayload(), dedupeKey: EarlyWarnings.key, at: now, on: sql)
                        try await JobQueue.enqueueOrRequeue(.rollUpReports, EmptyPayload(), dedupeKey: ReportRollup.key, at: now, on: sql)
                        try await WeeklyReport.schedule(at: now, on: sql)
                        // Once an hour is plenty for planning visits days ahead; the key makes it once across instances.
                        try await JobQueue.enqueue(.planMaintenance, EmptyPayload(), dedupeKey: MaintenancePlanner.hourKey(now), runAt: now, on: sql)
                        try await NightlyJobs.enqueue(at: now, on: sql)
                        try await WebSessions.sweep(now: now, on: sql)
                        try await JobRepository.purgeDone(before: now.addingTimeInterval(-Self.keepFinishedJobs), on: sql)
                    }
                    runner.nudge()
                    _ = try await services.teamAddresses.current(on: services.store.sql)
                    // PostgreSQL's tallies grow a row per change until folded together (nothing to do on SQLite).
                    try await CaseTallyRepository.compact(on: services.store.sql)
                } catch {
                    logger.warning("could not schedule time-driven work", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: Self.tick)
            }
        }
        timer.withLockedValue { $0 = task }
    }

    /// Stores one message received over SMTP, with our trace line on top, and wakes the job loop.
    private static func store(_ envelope: SMTPEnvelope, _ bytes: [UInt8], from peer: SMTPPeer, services: CasebookServices,
                              settings: CasebookConfiguration.SMTPSettings, runner: JobRunner) async throws -> String {
        let traceID = String(UUID().uuidString.prefix(8)).lowercased()
        // Return-Path keeps the envelope sender with the message, as a final delivery does (RFC 5321 4.4).
        var raw = Data("Return-Path: <\(envelope.sender)>\r\n".utf8)
        raw.append(contentsOf: ReceivedHeader.line(envelope: envelope, peer: peer.address, by: settings.hostname, tls: peer.tls,
                                           id: traceID, at: services.clock()).utf8)
        raw.append(contentsOf: bytes)
        let accepted = try await ReceiveEmail(services: services).accept(raw)
        runner.nudge()
        return accepted.id.uuidString.lowercased()
    }
}

extension Application {
    private struct BackgroundWorkKey: StorageKey {
        typealias Value = BackgroundWork
    }

    /// The work beside the HTTP server; set once by `configure`.
    var backgroundWork: BackgroundWork {
        get { configured(BackgroundWorkKey.self) }
        set { storage[BackgroundWorkKey.self] = newValue }
    }
}
