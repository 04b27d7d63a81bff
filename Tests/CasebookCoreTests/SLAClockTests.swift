import CasebookCore
import Foundation
import Testing

@Suite("Service-level clocks")
struct SLAClockTests {
    static let hour = 3600.0

    static func policy(_ name: String = "Standard", kind: SLAKind = .informal, first: Int? = 60, next: Int? = 240, resolution: Int? = 480,
                       calendar: BusinessCalendar = Calendars.officeHours(), conditions: SLAConditions = SLAConditions(), rank: Int = 100) -> SLAPolicy {
        SLAPolicy(id: UUID(), name: name, kind: kind, conditions: conditions,
                  targets: [.high: SLATargets(firstResponseMinutes: first, nextUpdateMinutes: next, resolutionMinutes: resolution)],
                  calendar: calendar, warnAtPercent: 75, rank: rank)
    }

    static func at(_ day: String, _ time: String) -> Date { Calendars.at(day, time) }

    static func history(_ statuses: [(String, String, CaseStatus)], replies: [(String, String)] = []) -> SLAHistory {
        SLAHistory(openedAt: at("2026-11-23", "09:00"),
                   statuses: statuses.map { SLAHistory.StatusChange(at: at($0.0, $0.1), status: $0.2) },
                   publicStaffReplies: replies.map { at($0.0, $0.1) })
    }

    static func metric(_ report: SLAReport?, _ metric: SLAMetric) -> SLAMetricReport? {
        report?.metrics.first { $0.metric == metric }
    }

    @Test("waiting on the customer pauses the clock, the answer resumes it, and the pause is reported")
    func pauseAndResume() throws {
        let history = Self.history([("2026-11-23", "09:00", .new), ("2026-11-23", "09:30", .open), ("2026-11-23", "11:00", .pendingCustomer),
                                    ("2026-11-24", "10:00", .open), ("2026-11-24", "15:00", .solved)],
                                   replies: [("2026-11-23", "09:30"), ("2026-11-24", "15:00")])
        let report = SLAClock.report(history: history, policy: Self.policy(), priority: .high, now: Self.at("2026-11-25", "12:00"))
        let first = try #require(Self.metric(report, .firstResponse))
        #expect(first.state == .met && first.usedSeconds == 0.5 * Self.hour && first.fulfilledAt == Self.at("2026-11-23", "09:30"))
        let resolution = try #require(Self.metric(report, .resolution))
        #expect(resolution.state == .met)
        #expect(resolution.usedSeconds == 7 * Self.hour, "Mon 09–11 and Tue 10–15")
        #expect(resolution.pausedSeconds == 7 * Self.hour, "Mon 11–17 and Tue 09–10, in business hours")
        #expect(resolution.explanation.contains("paused 7h while pending customer"))
        let update = try #require(Self.metric(report, .nextUpdate))
        #expect(update.earlierBreaches == 1, "09:30 → next day 15:00 was 6h 30m of business time against a 4h promise")
        #expect(update.state == .stopped)
    }

    @Test("waiting on a vendor or parts pauses resolution but not the customer's next update")
    func vendorWaitKeepsUpdateCadence() throws {
        let history = Self.history([("2026-11-23", "09:00", .new), ("2026-11-23", "09:30", .pendingVendor)],
                                   replies: [("2026-11-23", "09:30")])
        let report = SLAClock.report(history: history, policy: Self.policy(), priority: .high, now: Self.at("2026-11-23", "15:00"))
        let resolution = try #require(Self.metric(report, .resolution))
        #expect(resolution.state == .paused && resolution.usedSeconds == 0.5 * Self.hour)
        let next = try #require(Self.metric(report, .nextUpdate))
        #expect(next.state == .breached, "four business hours since the last update, vendor or not")
        #expect(next.breachedAt == Self.at("2026-11-23", "13:30"))
        // Waiting on the customer still pauses every clock.
        let onCustomer = Self.history([("2026-11-23", "09:00", .new), ("2026-11-23", "09:30", .pendingCustomer)], replies: [("2026-11-23", "09:30")])
        #expect(Self.metric(SLAClock.report(history: onCustomer, policy: Self.policy(), priority: .high, now: Self.at("2026-11-23", "15:00")), .nextUpdate)?.state == .paused)
    }

    @Test("with no reply the first response breaches at the due time, and says why")
    func breach() throws {
        let history = Self.history([("2026-11-23", "09:00", .new)])
        let report = SLAClock.report(history: history, policy: Self.policy(), priority: .high, now: Self.at("2026-11-23", "11:00"))
        let first = try #require(Self.metric(report, .firstResponse))
        #expect(first.state == .breached && first.breachedAt == Self.at("2026-11-23", "10:00"))
        #expect(first.explanation.contains("no public reply yet") && first.explanation.contains("2026-11-23 10:00 Europe/Madrid"))
        let resolution = try #require(Self.metric(report, .resolution))
        #expect(resolution.state == .running && resolution.dueAt == Self.at("2026-11-23", "17:00") && resolution.warnAt == Self.at("2026-11-23", "15:00"))
        #expect(Self.metric(report, .nextUpdate) == nil, "next-update promises start with the first reply")
        #expect(report?.worstState == .breached)
    }

    @Test("a warning is raised at the configured share, and the next check is the earliest warning or due time")
    func warning() throws {
        let history = Self.history([("2026-11-23", "09:00", .new)])
        let report = try #require(SLAClock.report(history: history, policy: Self.policy(), priority: .high, now: Self.at("2026-11-23", "09:50")))
        let first = try #require(Self.metric(report, .firstResponse))
        #expect(first.state == .warning && first.warnAt == Self.at("2026-11-23", "09:45") && first.dueAt == Self.at("2026-11-23", "10:00"))
        #expect(first.percentUsed == 83)
        #expect(report.nextCheckAt == Self.at("2026-11-23", "10:00"))
        let early = try #require(SLAClock.report(history: history, policy: Self.policy(), priority: .high, now: Self.at("2026-11-23", "09:10")))
        #expect(early.nextCheckAt == Self.at("2026-11-23", "09:45"))
    }

    @Test("a paused clock has no due time; a reopened case resumes its resolution clock where it stopped")
    func pausedAndReopened() throws {
        let paused = Self.history([("2026-11-23", "09:00", .new), ("2026-11-23", "09:10", .pendingVendor)])
        let report = SLAClock.report(history: paused, policy: Self.policy(), priority: .high, now: Self.at("2026-11-23", "12:00"))
        let first = try #require(Self.metric(report, .firstResponse))
        #expect(first.state == .paused && first.dueAt == nil && first.usedSeconds == 600)
        #expect(first.explanation.contains("pending vendor"))

        let reopened = Self.history([("2026-11-23", "09:00", .new), ("2026-11-23", "12:00", .solved), ("2026-11-24", "09:00", .open)],
                                    replies: [("2026-11-23", "09:05")])
        let later = SLAClock.report(history: reopened, policy: Self.policy(next: nil), priority: .high, now: Self.at("2026-11-24", "12:00"))
        let resolution = try #require(Self.metric(later, .resolution))
        #expect(resolution.usedSeconds == 6 * Self.hour && resolution.state == .warning)
        #expect(resolution.dueAt == Self.at("2026-11-24", "14:00"))
    }

    @Test("changing the policy mid-case recomputes from the timeline: pause time is the same, only targets move")
    func policyChange() throws {
        let history = Self.history([("2026-11-23", "09:00", .new), ("2026-11-23", "10:00", .pendingCustomer), ("2026-11-24", "11:00", .open)],
                                   replies: [("2026-11-23", "09:20")])
        let now = Self.at("2026-11-24", "12:00")
        let standard = try #require(Self.metric(SLAClock.report(history: history, policy: Self.policy(), priority: .high, now: now), .resolution))
        let stricter = try #require(Self.metric(SLAClock.report(history: history, policy: Self.policy(resolution: 90), priority: .high, now: now), .resolution))
        let roundTheClock = try #require(Self.metric(SLAClock.report(history: history, policy: Self.policy(calendar: .allHours(timeZone: Calendars.madrid)),
                                                                    priority: .high, now: now), .resolution))
        #expect(standard.pausedSeconds == 9 * Self.hour && stricter.pausedSeconds == standard.pausedSeconds)
        #expect(standard.usedSeconds == 2 * Self.hour && stricter.usedSeconds == standard.usedSeconds)
        #expect(standard.state == .running && stricter.state == .breached && stricter.breachedAt == Self.at("2026-11-24", "11:30"))
        #expect(roundTheClock.pausedSeconds == 25 * Self.hour && roundTheClock.usedSeconds == 2 * Self.hour)
    }

    @Test("property: for random histories, used plus paused plus solved time is all the business time, under any calendar")
    func partitions() {
        var random = SeededRandom(seed: 99)
        let opened = Self.at("2026-11-23", "09:00")
        let calendars = [Calendars.officeHours(), Calendars.nights(), BusinessCalendar.allHours(timeZone: Calendars.madrid)]
        for round in 0..<300 {
            var at = opened
            var statuses = [SLAHistory.StatusChange(at: opened, status: .new)]
            for _ in 0..<Int.random(in: 0...8, using: &random) {
                at = at.addingTimeInterval(Double(Int.random(in: 60...(3 * 86_400), using: &random)))
                let status = [CaseStatus.open, .pendingCustomer, .pendingVendor, .solved, .open].randomElement(using: &random)!
                statuses.append(SLAHistory.StatusChange(at: at, status: status))
            }
            let now = at.addingTimeInterval(Double(Int.random(in: 0...(5 * 86_400), using: &random)))
            let history = SLAHistory(openedAt: opened, statuses: statuses, publicStaffReplies: [])
            let calendar = calendars[round % calendars.count]
            let policy = Self.policy(first: nil, next: nil, resolution: 100_000, calendar: calendar)
            guard let resolution = Self.metric(SLAClock.report(history: history, policy: policy, priority: .high, now: now), .resolution) else {
                Issue.record("no report")
                continue
            }
            let stopped = history.segments(until: now).filter { $0.mode == .stopped }
                .reduce(0.0) { $0 + calendar.workingSeconds(from: $1.start, to: $1.end) }
            let total = calendar.workingSeconds(from: opened, to: now)
            #expect(abs(resolution.usedSeconds + resolution.pausedSeconds + stopped - total) < 0.001)
        }
    }

    @Test("policy choice: the contract's formal policy first, then informal ones by rank and narrowness")
    func selection() {
        let acme = OrganisationID()
        let gold = Self.policy("Gold contract", kind: .formal)
        let broad = Self.policy("Everyone", rank: 100)
        let narrow = Self.policy("Acme high", conditions: SLAConditions(organisationIDs: [acme], priorities: [.high]), rank: 100)
        let first = Self.policy("Ranked first", conditions: SLAConditions(caseTypes: [.serviceRequest]), rank: 10)
        let contract = ContractFacts(id: UUID(), level: "gold", startsOn: LocalDate(parsing: "2026-01-01")!, endsOn: nil, policyID: gold.id)
        let policies = [broad, narrow, first, gold]
        func facts(_ org: OrganisationID?, _ type: CaseType = .incident, _ contract: ContractFacts? = nil, _ priority: Priority = .high) -> SLACaseFacts {
            SLACaseFacts(organisationID: org, priority: priority, productID: nil, type: type, contract: contract)
        }
        #expect(SLAPolicySelection.choose(for: facts(acme, .incident, contract), among: policies)?.name == "Gold contract")
        #expect(SLAPolicySelection.choose(for: facts(acme), among: policies)?.name == "Acme high")
        #expect(SLAPolicySelection.choose(for: facts(nil), among: policies)?.name == "Everyone")
        #expect(SLAPolicySelection.choose(for: facts(acme, .serviceRequest), among: policies)?.name == "Ranked first")
        #expect(SLAPolicySelection.choose(for: facts(acme, .incident, nil, .low), among: policies) == nil, "no targets for low priority")
        #expect(contract.covers(LocalDate(parsing: "2026-06-01")!) && !contract.covers(LocalDate(parsing: "2025-12-31")!))
    }
}
