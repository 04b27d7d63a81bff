import CasebookCore
import Foundation

/// The running totals of one part of a day's rollup (the cases of one block of numbers opened that day), added to a
/// slice of cases at a time; a day's figures are its parts merged.
struct DayTally: Codable, Equatable {
    private(set) var created = 0
    private var solved = 0, slaCases = 0, slaBreached = 0, satisfactionSum = 0, satisfactionCount = 0
    private var firstResponse = DurationHistogram(), resolution = DurationHistogram(), updateGaps = DurationHistogram()
    private var categories: [String: Int] = [:], products: [String: Int] = [:], versions: [String: Int] = [:]

    mutating func add(_ row: ReportDayRepository.Opened) {
        created += 1
        if let first = row.firstResponseAt { firstResponse.add(minutes: max(0, first.timeIntervalSince(row.createdAt) / 60)) }
        if let done = row.solvedAt {
            solved += 1
            resolution.add(minutes: max(0, done.timeIntervalSince(row.createdAt) / 60))
        }
        if let breached = row.breached {
            slaCases += 1
            if !breached.isEmpty { slaBreached += 1 }
        }
        if let score = row.score {
            satisfactionSum += score
            satisfactionCount += 1
        }
        if let id = row.categoryID { categories[id.uuidString.lowercased(), default: 0] += 1 }
        if let id = row.productID { products[id.uuidString.lowercased(), default: 0] += 1 }
        if let id = row.productVersionID { versions[id.uuidString.lowercased(), default: 0] += 1 }
    }

    /// The minutes between consecutive customer-visible staff updates on a case (ordered by case, then time): how long
    /// a customer waits between hearing from support, which first-response and resolution times do not show.
    mutating func addUpdates(_ updates: [(caseID: UUID, at: Date)]) {
        var previous: (UUID, Date)?
        for (caseID, at) in updates {
            if let (lastCase, lastAt) = previous, lastCase == caseID { updateGaps.add(minutes: max(0, at.timeIntervalSince(lastAt) / 60)) }
            previous = (caseID, at)
        }
    }

    /// Adds another part's totals to these.
    mutating func merge(_ other: DayTally) {
        created += other.created
        solved += other.solved
        slaCases += other.slaCases
        slaBreached += other.slaBreached
        satisfactionSum += other.satisfactionSum
        satisfactionCount += other.satisfactionCount
        firstResponse.merge(other.firstResponse)
        resolution.merge(other.resolution)
        updateGaps.merge(other.updateGaps)
        categories.merge(other.categories, uniquingKeysWith: +)
        products.merge(other.products, uniquingKeysWith: +)
        versions.merge(other.versions, uniquingKeysWith: +)
    }

    func day(_ day: LocalDate) -> ReportQueries.Day {
        ReportQueries.Day(day: day, created: created, solved: solved, firstResponse: firstResponse, resolution: resolution,
                          slaCases: slaCases, slaBreached: slaBreached, categories: categories, products: products, versions: versions,
                          satisfactionSum: satisfactionSum, satisfactionCount: satisfactionCount, updateGaps: updateGaps)
    }
}
