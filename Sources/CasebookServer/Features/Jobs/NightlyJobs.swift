import CasebookCore
import Foundation
import SQLKit

/// The work done once a day, each at its own hour (UTC) so they do not run at once; the day's key makes it once
/// across instances, and a service started after the hour runs it at once.
enum NightlyJobs {
    /// Each nightly kind and the hour it runs at.
    static let schedule: [(kind: JobKind, hour: Int)] = [(.syncDirectories, 2), (.applyRetention, 3), (.sweepFiles, 4)]

    /// Queues today's run of each, unless it is queued or done already.
    static func enqueue(at now: Date, on sql: any SQLDatabase) async throws {
        for (kind, hour) in schedule {
            try await JobQueue.enqueue(kind, EmptyPayload(), dedupeKey: dayKey(kind, now), runAt: runAt(hour: hour, now), on: sql)
        }
    }

    /// One key per kind and UTC day.
    static func dayKey(_ kind: JobKind, _ now: Date) -> String { kind.rawValue + ":" + String(Timestamp.format(now).prefix(10)) }

    /// The hour's moment on the UTC day of `now`.
    static func runAt(hour: Int, _ now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.startOfDay(for: now).addingTimeInterval(TimeInterval(hour * 3_600))
    }
}
