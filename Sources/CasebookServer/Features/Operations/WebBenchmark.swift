import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Times the server side of the console's busiest pages at scale: 50-row queues (all open, mine, a search, a filter) and a case page with 200 entries,
/// among 100,000 cases. Requests go through the whole middleware stack (session, CSRF, CSP, routing, queries, Leaf)
/// in process, so the figure is what the server spends, without a network in the way.
public enum WebBenchmark {
    public static func run(_ app: Application, cases: Int, entries: Int, repeats: Int, log: (String) -> Void) async throws {
        let reference: String
        let position: Int
        if let kept = try await BenchFixtureRepository.longCase(subject: longSubject, on: app.casebook.store.sql) {
            // A database a previous run kept (CASEBOOK_BENCH_KEEP=1): measured again as it is, without seeding.
            reference = Reference(prefix: app.casebook.configuration.referencePrefix, number: kept.number).description
            position = try await BenchFixtureRepository.timelineLength(of: kept.id, on: app.casebook.store.sql)
            log("measuring the kept database again: case \(reference) has \(position) timeline entries")
        } else {
            (reference, position) = try await seed(app, cases: cases, entries: entries, log: log)
        }
        let cookie = try await signIn(app)
        for (label, path) in [("queue, 50 rows (all open)", "/desk?view=all"), ("queue, 50 rows (mine)", "/desk?view=mine"),
                              ("queue, search (every status)", "/desk?view=all&status=any&q=floor+7"), ("queue, filter (urgent)", "/desk?view=all&priority=urgent"),
                              ("case page, \(position) entries", "/desk/cases/\(reference)"), ("portal case page", "/portal/cases/\(reference)"),
                              ("manager dashboard", "/reports/dashboard")] {
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<repeats {
                let start = ContinuousClock.now
                let response = try await send(app, .GET, path, cookie: cookie)
                guard response.status == .ok else { throw DomainError.conflict("\(path) answered \(response.status)") }
                bytes = response.body.buffer?.readableBytes ?? 0
                times.append((ContinuousClock.now - start).seconds * 1_000)
            }
            times.sort()
            log(String(format: "%-28@ p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%d bytes)", label as NSString,
                       times[times.count / 2], times[min(times.count - 1, times.count * 95 / 100)], times[times.count - 1], bytes))
        }
    }

    static let longSubject = "Long-running case with a long record"

    /// Seeds the cases, the bench's people and one long case; returns the long case's reference and its length.
    static func seed(_ app: Application, cases: Int, entries: Int, log: (String) -> Void) async throws -> (String, Int) {
        let services = app.casebook
        let now = services.clock()
        _ = try await AdminOperations.addUser(app, email: "bench-agent@cb.example", name: "Bench Agent", role: "agent", organisation: nil, password: "bench-password-1")
        let added = try await AdminOperations.addUser(app, email: "bench-customer@cb.example", name: "Bench Customer", role: "customer", organisation: nil, password: nil)
        guard let customer = added.split(separator: " ").last.flatMap({ UUID(uuidString: String($0)) }),
              let agent = try await UserRepository.find(email: "bench-agent@cb.example", on: app.db)?.id else { throw DomainError.conflict("No benchmark people.") }
        let seedStart = ContinuousClock.now
        let statuses: [CaseStatus] = [.new, .open, .pendingCustomer, .solved, .closed, .closed, .solved, .open]
        try await BenchmarkCases.insert(count: cases, firstNumber: 3_000_000, requester: customer, now: now, services: services,
                                       searchable: true) { n, record in
            record.subject = "Queue case \(n): printer on floor \(n % 40) stops after the first page"
            record.status = statuses[n % statuses.count]
            record.priority = [Priority.low, .normal, .normal, .high, .urgent][n % 5]
            record.assigneeID = n % 3 == 0 ? agent : nil
            record.updatedAt = record.createdAt.addingTimeInterval(3_600)
        }
        log(String(format: "seeded %d cases in %.1f s", cases, (ContinuousClock.now - seedStart).seconds))

        // One long case: a conversation of public replies, internal notes and the odd HTML email, as a busy case has.
        let agentActor = try await CurrentActor.load(try await UserModel.find(agent, on: app.db)!, on: app.db, viaSession: true)
        var input = CaseCreateRequest(subject: longSubject, description: "It started with one printer and grew.")
        input.requesterID = customer
        let record = try await services.store.write { [input] db in try await OpenCase(services: services).run(input, by: agentActor, on: db) }
        let reference = Reference(prefix: services.configuration.referencePrefix, number: record.number).description
        var position = 2
        while position < entries {
            var message = MessageCreateRequest(text: "Update \(position): we checked the fuser and the paper path; next we replace the pickup roller and watch it for a day.")
            message.visibility = position % 3 == 0 ? .internal : .public
            if position % 10 == 0 { message.html = "<p>Update <b>\(position)</b> with a <a href=\"https://example.com/kb\">link</a> and <img src=\"https://example.com/t.png\" alt=\"t\"></p>" }
            _ = try await services.store.write { [message] db in try await AddMessage(services: services).run(reference: reference, input: message, by: agentActor, on: db) }
            position = try await BenchFixtureRepository.timelineLength(of: record.id, on: services.store.sql)
        }
        log("case \(reference) has \(position) timeline entries")
        // What the hourly statistics refresh of a running server leaves behind.
        try await DatabaseSetup.refreshStatistics(services.store)

        return (reference, position)
    }

    /// Drops the scratch PostgreSQL schema a run seeded.
    public static func dropSchema(_ schema: String, _ app: Application) async throws {
        try await BenchFixtureRepository.dropSchema(schema, on: app.casebook.store.sql)
    }

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, cookie: String?, form: String? = nil) async throws -> Response {
        var headers = HTTPHeaders()
        if let cookie { headers.add(name: .cookie, value: cookie) }
        if form != nil { headers.contentType = .urlEncodedForm }
        let request = Request(application: app, method: method, url: URI(string: path), headers: headers,
                              collectedBody: form.map { ByteBuffer(string: $0) }, remoteAddress: nil, logger: app.logger, on: app.eventLoopGroup.next())
        return try await app.responder.respond(to: request).get()
    }

    /// Signs in through the login form and returns the session cookie.
    static func signIn(_ app: Application) async throws -> String {
        let form = try await send(app, .GET, "/login", cookie: nil)
        let html = form.body.string ?? ""
        // A visitor who has not signed in has no session: the form's token lives in the CSRF cookie.
        guard let visitor = form.headers.setCookie?[CSRFProtection.cookie]?.string,
              let range = html.range(of: #"name="csrf-token" content=""#) else { throw DomainError.conflict("No sign-in form.") }
        let token = String(html[range.upperBound...].prefix { $0 != "\"" })
        let posted = try await send(app, .POST, "/login", cookie: "\(CSRFProtection.cookie)=\(visitor)",
                                    form: "_csrf=\(token)&email=bench-agent%40cb.example&password=bench-password-1")
        guard let session = posted.headers.setCookie?["casebook_session"]?.string else { throw DomainError.conflict("Sign-in failed: \(posted.status)") }
        return "casebook_session=\(session)"
    }
}
