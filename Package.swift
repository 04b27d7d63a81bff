// swift-tools-version:6.1
import PackageDescription

/// Settings every Casebook target shares: Swift 6 language mode is the package default.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "casebook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "casebook", targets: ["casebook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
    ],
    targets: [
        // MARK: Domain

        /// Business rules and values: no I/O, imports Foundation only.
        .target(
            name: "CasebookCore",
            resources: [.copy("Resources/ToneSets")],
            swiftSettings: strictSettings
        ),

        // MARK: Adapters

        /// SQLite connection settings that only C can reach (sqlite3_db_config is variadic).
        .target(name: "CSQLiteSettings"),

        /// The system's zlib (Debian's zlib1g-dev), for unpacking uploaded zip archives.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),

        /// Email: a MIME parser that survives real mail and the SMTP conversation, both pure (bytes in, values out).
        .target(
            name: "CasebookMail",
            dependencies: [
                "CasebookCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),

        /// The Vapor application: configuration, persistence, HTTP API, operations.
        .target(
            name: "CasebookServer",
            dependencies: [
                "CasebookCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                "CasebookMail",
                "CSQLiteSettings",
                "CZlib",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/Views"), .copy("Resources/Public"), .copy("Resources/Locales")],
            swiftSettings: strictSettings
        ),

        // MARK: Executable

        /// The `casebook` command: serve, migrate, users, tokens, demo data, export/import, bench.
        .executableTarget(
            name: "casebook",
            dependencies: [
                "CasebookCore",
                "CasebookMail",
                "CasebookServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),

        /// Fuzzes the mail parser (build with -sanitize=fuzzer -DFUZZING; see scripts/fuzz-mail.sh).
        .executableTarget(
            name: "casebook-mail-fuzz",
            dependencies: ["CasebookMail"],
            swiftSettings: strictSettings
        ),

        // MARK: Tests

        /// Pure rule tests for the core.
        .testTarget(
            name: "CasebookCoreTests",
            dependencies: ["CasebookCore"],
            swiftSettings: strictSettings
        ),
        /// Parser tests over the message corpus.
        .testTarget(
            name: "CasebookMailTests",
            dependencies: ["CasebookCore", "CasebookMail"],
            resources: [.copy("Corpus")],
            swiftSettings: strictSettings
        ),
        /// API, store and authorisation tests, on SQLite and (when configured) PostgreSQL.
        .testTarget(
            name: "CasebookServerTests",
            dependencies: [
                "CasebookServer",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
