import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Measures the service-level engine on a database of its own: recomputing every open case's
/// clocks, and evaluating automation rules per event.
public enum ServiceLevelBenchmark {
    /// One measured figure.
    public struct Figure: Sendable, Codable {
        public let name: String
        public let value: Double
        public let unit: String
    }

    /// Seeds `cases` open cases with varied histories, then measures; prints as it goes.
    public static func run(_ app: Application, cases: Int, rules ruleCount: Int, log: (String) -> Void) async throws -> [Figure] {
        let services = app.casebook
        let sql = services.store.sql
        let now = services.clock()
        var figures: [Figure] = []
        func measure<T>(_ name: String, _ body: () async throws -> T) async rethrows -> (T, Double) {
            let start = ContinuousClock.now
            let value = try await body()
            let seconds = (ContinuousClock.now - start).seconds
            log(String(format: "%@: %.3f s", name, seconds))
            return (value, seconds)
        }

        func person(_ email: String, _ role: String) async throws -> UUID {
            let added = try await AdminOperations.addUser(app, email: email, name: role, role: role, organisation: nil, password: nil)
            guard let id = added.split(separator: " ").last.flatMap({ UUID(uuidString: String($0)) }) else {
                throw DomainError.conflict("Could not add the benchmark's \(role).")
            }
            return id
        }
        let agent = try await person("bench-agent@cb.example", "agent")
        let customer = try await person("bench-customer@cb.example", "customer")
        let (_, seedSeconds) = try await measure("seed \(cases) open cases") {
            try await seed(cases: cases, agent: agent, customer: customer, now: now, services: services)
        }
        figures.append(Figure(name: "seed cases", value: seedSeconds, unit: "s"))
        try await setUpPolicies(on: sql, now: now)
        services.serviceLevels.invalidate()

        let (count, recomputeSeconds) = try await measure("recompute all open cases (read, compute, write)") {
            try await ServiceLevelSweep.recomputeOpenCases(services: services)
        }
        figures.append(Figure(name: "recompute \(count) open cases, end to end", value: recomputeSeconds, unit: "s"))

        // The usual reason to recompute: an admin edits a policy. The standard targets are doubled, so every case under
        // that policy gets new due times; breaches already recorded stay recorded.
        let relaxed: [String: SLATargets] = ["low": SLATargets(firstResponseMinutes: 960, resolutionMinutes: 9600),
                                             "normal": SLATargets(firstResponseMinutes: 480, nextUpdateMinutes: 1920, resolutionMinutes: 4800)]
        try await BenchFixtureRepository.setPolicyTargets(named: "Standard", to: relaxed, at: now, on: sql)
        let (changed, changeSeconds) = try await measure("recompute all open cases after a policy change") {
            try await ServiceLevelSweep.recomputeOpenCases(services: services)
        }
        figures.append(Figure(name: "recompute \(changed) open cases after a policy change, end to end", value: changeSeconds, unit: "s"))

        let ids = try await BenchFixtureRepository.allCaseIDs(on: sql)
        var facts: [CaseClockFacts] = []
        let (_, loadSeconds) = try await measure("load clock facts for all cases") {
            for chunk in stride(from: 0, to: ids.count, by: 1000) {
                facts += try await CaseClockFacts.load(Array(ids[chunk..<min(chunk + 1000, ids.count)]), on: sql)
            }
        }
        figures.append(Figure(name: "load facts for \(ids.count) cases", value: loadSeconds, unit: "s"))
        let catalog = try await services.serviceLevels.current(on: sql)
        let (reports, computeSeconds) = await measure("compute due times for all cases in memory") {
            await CaseClock.compute(facts, catalog: catalog, now: now)
        }
        figures.append(Figure(name: "compute due times for \(reports.count) cases (pure clock arithmetic)", value: computeSeconds, unit: "s"))

        // Rules: `ruleCount` event rules of varied shapes; each event evaluates all of them.
        let rules = try makeRules(ruleCount)
        let sample = (0..<2000).map { facts[$0 * 37 % facts.count] }
        var durations: [Double] = []
        var matched = 0
        for item in sample {
            let ruleFacts = RuleApplier.facts(item, catalog: catalog, now: now)
            let start = ContinuousClock.now
            matched += RuleEngine.evaluate(rules, trigger: .caseUpdated, facts: ruleFacts).count
            durations.append((ContinuousClock.now - start).seconds * 1e6)
        }
        durations.sort()
        let p50 = durations[durations.count / 2], p95 = durations[durations.count * 95 / 100]
        log(String(format: "rule evaluation, %d rules: p50 %.1f µs, p95 %.1f µs (%d plans over %d events)", ruleCount, p50, p95, matched, sample.count))
        figures.append(Figure(name: "rule evaluation per event, \(ruleCount) rules, p50", value: p50, unit: "µs"))
        figures.append(Figure(name: "rule evaluation per event, \(ruleCount) rules, p95", value: p95, unit: "µs"))

        // The same per event, end to end: read the case's facts and clock, evaluate, nothing to write.
        var endToEnd: [Double] = []
        for item in sample.prefix(300) {
            let start = ContinuousClock.now
            _ = try await RuleApplier(services: services).run([item.caseID], trigger: .caseUpdated, rules: rules, on: sql, now: now, apply: false)
            endToEnd.append((ContinuousClock.now - start).seconds * 1e3)
        }
        endToEnd.sort()
        let e95 = endToEnd[endToEnd.count * 95 / 100]
        log(String(format: "rules per event with the case's facts read from the database: p95 %.2f ms", e95))
        figures.append(Figure(name: "rules per event incl. reading the case, \(ruleCount) rules, p95", value: e95, unit: "ms"))
        return figures
    }

    /// Open cases over the last 30 days: a third waited on the customer, half have a public staff reply.
    static func seed(cases: Int, agent: UUID, customer: UUID, now: Date, services: CasebookServices) async throws {
        let priorities = Priority.allCases
        for chunk in stride(from: 0, to: cases, by: 1000) {
            try await services.store.write { db in
                let sql = services.store.sql(db)
                var records: [CaseRecord] = []
                var timelineRows: [[any SQLExpression]] = []
                var messageRows: [[any SQLExpression]] = []
                for n in chunk..<min(chunk + 1000, cases) {
                    let opened = now.addingTimeInterval(-Double((n * 7919) % (30 * 86_400)))
                    var record = CaseRecord(id: RecordID.make(), number: 1_000_000 + n, channel: "email", at: opened, requesterID: customer)
                    let priority = priorities[n % priorities.count]
                    record.subject = "Benchmark case \(n)"
                    record.priority = priority
                    record.priorityRank = priority.rank
                    record.status = n % 3 == 0 ? .pendingCustomer : .open
                    records.append(record)
                    func entry(_ position: Int, _ at: Date, _ old: String, _ new: String) -> [any SQLExpression] {
                        [SQLBind(RecordID.make()), SQLBind(record.id), SQLBind(position), SQLBind("field_changed"), SQLBind(agent), SQLBind("status"),
                         SQLBind(old), SQLBind(new), SQLBind(UUID?.none), SQLBind("public"), SQLBind(at)]
                    }
                    timelineRows.append(entry(1, opened.addingTimeInterval(600), "new", "open"))
                    if n % 3 == 0 { timelineRows.append(entry(2, opened.addingTimeInterval(7200), "open", "pending_customer")) }
                    if n % 3 == 1 {
                        timelineRows.append(entry(2, opened.addingTimeInterval(3600), "open", "pending_customer"))
                        timelineRows.append(entry(3, opened.addingTimeInterval(90_000), "pending_customer", "open"))
                    }
                    if n % 2 == 0 {
                        messageRows.append([SQLBind(RecordID.make()), SQLBind(record.id), SQLBind(agent), SQLBind("public"), SQLBind("web"),
                                            SQLBind("We are looking into it."), SQLBind(String?.none), SQLBind(opened.addingTimeInterval(600))])
                    }
                }
                try await CaseRepository.insert(records, on: sql)
                try await BenchFixtureRepository.insertTimelineRows(timelineRows, on: sql)
                try await BenchFixtureRepository.insertMessageRows(messageRows, on: sql)
            }
        }
    }

    /// Office hours in Madrid and a 24×7 calendar; an informal policy per priority band.
    static func setUpPolicies(on sql: any SQLDatabase, now: Date) async throws {
        let office = RecordID.make(), always = RecordID.make()
        let weekdays = [Weekday.monday, .tuesday, .wednesday, .thursday, .friday].map { try! WorkingPeriod($0, from: 540, to: 1080) }
        let allWeek = Weekday.allCases.map { try! WorkingPeriod($0, from: 0, to: 1440) }
        for (id, name, zone, periods) in [(office, "Office", "Europe/Madrid", weekdays), (always, "Always", "UTC", allWeek)] {
            let holidays = [CalendarCodec.Holiday(date: LocalDate(parsing: "2026-12-25")!, name: "Christmas")]
            try await CalendarRepository.insert(CalendarView(id: id, name: name, timeZone: zone, periods: periods, holidays: holidays, updatedAt: now),
                                                at: now, on: sql)
        }
        let standard: [String: SLATargets] = ["low": SLATargets(firstResponseMinutes: 480, resolutionMinutes: 4800),
                                              "normal": SLATargets(firstResponseMinutes: 240, nextUpdateMinutes: 960, resolutionMinutes: 2400)]
        let critical: [String: SLATargets] = ["high": SLATargets(firstResponseMinutes: 60, nextUpdateMinutes: 240, resolutionMinutes: 960),
                                              "urgent": SLATargets(firstResponseMinutes: 15, nextUpdateMinutes: 60, resolutionMinutes: 240)]
        for (name, calendar, targets) in [("Standard", office, standard), ("Critical", always, critical)] {
            try await SLAPolicyRepository.insert(SLAPolicyView(id: RecordID.make(), name: name, kind: .informal, conditions: SLAConditions(), targets: targets,
                                                               calendarID: calendar, warnAtPercent: 75, rank: 100, active: true), at: now, on: sql)
        }
    }

    /// Rules of the shapes admins write: one to three conditions, a couple of actions.
    static func makeRules(_ count: Int) throws -> [AutomationRule] {
        try (0..<count).map { n in
            var conditions = [try RuleCondition(.priority, .oneOf, .list([Priority.allCases[n % 4].rawValue, Priority.allCases[(n + 1) % 4].rawValue]))]
            if n % 2 == 0 { conditions.append(try RuleCondition(.slaPercentUsed, .atLeast, .number(Double(50 + n % 50)))) }
            if n % 3 == 0 { conditions.append(try RuleCondition(.subject, .contains, .text("case \(n % 10)"))) }
            if n % 5 == 0 { conditions.append(try RuleCondition(.tags, .noneOf, .list(["vip", "billing"]))) }
            return try AutomationRule(id: RecordID.make(), name: "Rule \(n)", trigger: .caseUpdated, conditions: conditions,
                                      actions: [try RuleAction(.addTag, "r\(n)"), n % 7 == 0 ? try RuleAction(.escalate) : try RuleAction(.notify, "assignee")],
                                      position: n)
        }
    }
}

public extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
