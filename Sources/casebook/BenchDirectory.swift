import Foundation

/// The customers and organisations the HTTP bench files its cases for, so that searching by a requester's name or an
/// organisation's name finds cases in the proportions a real desk has (a few thousand per person, tens of thousands
/// per organisation at a million cases).
struct BenchDirectory: Sendable {
    static let organisationNames = ["Harbourview", "Kestrel", "Lindqvist", "Marrowbone", "Northgate", "Oakhurst", "Pellworth",
                                    "Quillon", "Redfern", "Saltmarsh", "Thornbury", "Umberleigh", "Valemount", "Wexcombe",
                                    "Yarrowdale", "Ashcombe", "Brackenridge", "Cloverfield", "Dunmore", "Elmstead"]
    static let givenNames = ["Amara", "Bruno", "Carmen", "Dmitri", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas",
                             "Kaveh", "Lucia", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tamsin",
                             "Ulla", "Viktor", "Wanjiru", "Xenia", "Yusuf"]
    static let familyNames = ["Okafor", "Brandtner", "Castellanos", "Dubrovsky", "Eriksdottir", "Fairweather", "Gallardo",
                              "Halvorsen", "Iwasaki", "Jablonski", "Kovalenko", "Lindgren", "Moretti", "Nakashima",
                              "Oyelaran", "Pemberton", "Quarshie", "Rautio", "Szabo", "Thackeray"]
    static let domain = "bench-directory.example"

    /// Customer ids, in a fixed order, so case `i` always goes to the same person.
    let requesters: [UUID]

    /// The person a case filed as number `index` of the bench is for.
    func requester(for index: Int) -> UUID? {
        requesters.isEmpty ? nil : requesters[index % requesters.count]
    }

    /// Whatever part of the directory is missing is created; what is there already is reused.
    static func ensure(on load: LoadClient, people: Int = 500) async throws -> BenchDirectory {
        let organisations = try await ensureOrganisations(on: load)
        struct User: Decodable { let id: UUID; let email: String }
        let listed = try JSONDecoder().decode([User].self, from: try await load.send(.GET, "/api/v1/users?role=customer", expect: 200))
        var byEmail = Dictionary(listed.map { ($0.email, $0.id) }, uniquingKeysWith: { first, _ in first })
        var requesters: [UUID] = []
        for index in 0..<people {
            let email = "person\(index)@\(domain)"
            if let id = byEmail[email] { requesters.append(id); continue }
            let name = "\(givenNames[index % givenNames.count]) \(familyNames[(index / givenNames.count) % familyNames.count])"
            let organisation = organisations[index % organisations.count]
            let body = #"{"email":"\#(email)","name":"\#(name)","role":"customer","organisation_id":"\#(organisation.uuidString)"}"#
            let created = try JSONDecoder().decode(User.self, from: try await load.send(.POST, "/api/v1/users", body: body, expect: 201))
            byEmail[email] = created.id
            requesters.append(created.id)
        }
        return BenchDirectory(requesters: requesters)
    }

    private static func ensureOrganisations(on load: LoadClient) async throws -> [UUID] {
        struct Organisation: Decodable { let id: UUID; let name: String }
        let listed = try JSONDecoder().decode([Organisation].self, from: try await load.send(.GET, "/api/v1/organisations", expect: 200))
        var ids: [UUID] = []
        for name in organisationNames.map({ "\($0) Bench Ltd" }) {
            if let known = listed.first(where: { $0.name == name }) { ids.append(known.id); continue }
            let created = try JSONDecoder().decode(Organisation.self, from: try await load.send(
                .POST, "/api/v1/organisations", body: #"{"name":"\#(name)"}"#, expect: 201))
            ids.append(created.id)
        }
        return ids
    }
}
