import CasebookCore
import Foundation
import Logging

/// Which code runs each kind of job.
enum JobHandlers {
    static let all: [JobKind: JobRunner.Handler] = [
        .processEmail: { job, services in
            let payload = try job.decode(InboundPayload.self)
            _ = try await ReceiveEmail(services: services).process(payload.inboundID)
        },
        .recomputeServiceLevels: { _, services in
            try await ServiceLevelSweep.recomputeOpenCases(services: services)
        },
        .checkServiceLevels: { _, services in
            try await ServiceLevelSweep.checkDue(services: services)
        },
        .sendEmail: { job, services in
            let payload = try job.decode(OutboundPayload.self)
            try await Outbox.deliver(payload.outboundID, services: services, transport: services.mailTransport,
                                     attempt: job.attempt, maxAttempts: job.maxAttempts)
        },
        .runTimeRules: { _, services in
            try await TimeRuleSweep.run(services: services)
        },
        .planMaintenance: { _, services in
            let planner = MaintenancePlanner(services: services)
            let today = BusinessCalendar.allHours().localDay(of: services.clock())
            _ = try await planner.generate(today: today)
            _ = try await planner.notifyOverdue(today: today)
        },
        .settleAlerts: { _, services in
            _ = try await AlertSettling(services: services).run()
        },
        .sendSurveys: { _, services in
            _ = try await SatisfactionSurveys(services: services).sendDue()
        },
        .detectWarnings: { _, services in
            _ = try await EarlyWarnings(services: services).detect()
        },
        .rollUpReports: { _, services in
            try await ReportRollup(services: services).run()
        },
        .sendWeeklyReport: { job, services in
            try await WeeklyReport(services: services).send(week: try job.decode(WeeklyReport.WeekPayload.self).week)
        },
        .deliverWebhook: { job, services in
            try await WebhookDispatch(services: services).deliver(try job.decode(WebhookJob.self).deliveryID, attempt: job.attempt,
                                                                  maxAttempts: job.maxAttempts)
        },
        .runImport: { job, services in
            try await ImportJobRun.continueRun(try job.decode(ImportJob.self).runID, services: services, attempt: job.attempt, maxAttempts: job.maxAttempts)
        },
        .syncDirectories: { _, services in
            try await DirectorySync(services: services).runAll()
        },
        .applyRetention: { _, services in
            try await ApplyRetention(services: services).runAll()
        },
        .sweepFiles: { _, services in
            let outcome = try await BlobSweep.sweep(services.blobs, store: services.store, keptBefore: Date().addingTimeInterval(-BlobSweep.grace))
            Logger(label: "casebook.files").info("swept stored files", metadata: ["looked": "\(outcome.looked)", "removed": "\(outcome.removed)"])
        },
        .transcribeCall: { job, services in
            let payload = try job.decode(CallPayload.self)
            try await CallTranscription(services: services).run(payload.callID, attempt: job.attempt, maxAttempts: job.maxAttempts)
        },
    ]
}
