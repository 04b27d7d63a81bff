import CasebookCore
import Foundation
import Testing

@Suite("Retry schedule")
struct RetryScheduleTests {
    @Test("backoff doubles from the first delay and stops at the cap")
    func backoff() {
        let schedule = RetrySchedule(firstDelay: 10, maximumDelay: 300, maxAttempts: 10)
        #expect((1...7).map { schedule.delay(afterAttempt: $0) } == [10, 20, 40, 80, 160, 300, 300])
        #expect(schedule.delay(afterAttempt: 10_000) == 300)
    }

    @Test("the last attempt gives up; earlier ones retry after the delay")
    func decisions() {
        let schedule = RetrySchedule(firstDelay: 5, maximumDelay: 60, maxAttempts: 3)
        let failedAt = Date(timeIntervalSince1970: 1_000)
        #expect(schedule.next(afterAttempt: 1, failedAt: failedAt) == .retry(at: Date(timeIntervalSince1970: 1_005)))
        #expect(schedule.next(afterAttempt: 2, failedAt: failedAt) == .retry(at: Date(timeIntervalSince1970: 1_010)))
        #expect(schedule.next(afterAttempt: 3, failedAt: failedAt) == .giveUp)
    }
}
