import Foundation

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
    ]
}
