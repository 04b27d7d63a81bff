/// Files outside Persistence/ and *Repository.swift that still hold SQL (issue 21). The list only shrinks: a file that
/// moves its statements into a repository leaves it, and a new file with SQL outside a repository fails the test.
enum SQLPlacementBacklog {
    static let files: Set<String> = [
        "Features/Equipment/PartsController.swift",
    ]
}
