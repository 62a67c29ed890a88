// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "HakenDesk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hakendesk", targets: ["hakendesk"]),
        // For the fuzzing package in Fuzz/, which builds the reader with libFuzzer.
        .library(name: "HakenMail", targets: ["HakenMail"]),
        .library(name: "HakenCore", targets: ["HakenCore"]),
        .library(name: "HakenImage", targets: ["HakenImage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Snapshot tests of rendered pages and mails, as SwiftPackageIndex-Server does.
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.19.7"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    ],
    targets: [
        // Pure domain rules: no I/O, no server frameworks, so the rules are tested in milliseconds.
        .target(name: "HakenCore"),
        .target(
            name: "HakenMail",
            dependencies: [
                "HakenCore",
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA for DKIM signatures (rsa-sha256).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        .target(
            name: "HakenStore",
            dependencies: [
                "HakenCore", "HakenMail",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // HEIC (iPhone photos) shown as JPEG: libheif and libjpeg-turbo from Debian's -dev packages.
        .systemLibrary(name: "CHeif", path: "Sources/CHeif", pkgConfig: "libheif", providers: [.apt(["libheif-dev"])]),
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        // #12: when and where a photo was taken (EXIF), from Debian's libexif-dev.
        .systemLibrary(name: "CExif", path: "Sources/CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
        .target(name: "HakenImage", dependencies: ["HakenCore", "CHeif", "CTurboJPEG", "CExif", .product(name: "Crypto", package: "swift-crypto")]),
        // #13: printed forms laid out by pango and drawn to PDF by cairo, from Debian's -dev packages.
        .systemLibrary(name: "CPango", path: "Sources/CPango", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .target(name: "HakenDocuments", dependencies: ["HakenCore", "CPango"]),
        .target(
            name: "HakenApp",
            dependencies: [
                "HakenCore", "HakenMail", "HakenStore", "HakenImage", "HakenDocuments",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            resources: [.copy("Views"), .copy("Public")]
        ),
        .target(
            name: "HakenBench",
            dependencies: [
                "HakenCore", "HakenMail", "HakenStore",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "hakendesk",
            dependencies: [
                "HakenApp", "HakenStore", "HakenCore", "HakenMail", "HakenBench", "HakenImage", "HakenDocuments",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Test helpers shared by the test targets: a real database per test (SQLite file,
        // or a PostgreSQL schema when HAKEN_TEST_POSTGRES_URL is set).
        .target(
            name: "HakenTestSupport",
            dependencies: [
                "HakenStore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ],
            path: "Tests/HakenTestSupport"
        ),
        .testTarget(name: "HakenCoreTests", dependencies: ["HakenCore"]),
        .testTarget(name: "HakenDocumentsTests", dependencies: ["HakenDocuments", "HakenCore", "HakenTestSupport"], exclude: ["Golden"]),
        .testTarget(
            name: "HakenMailTests",
            dependencies: [
                "HakenMail", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Corpus")]
        ),
        .testTarget(
            name: "HakenStoreTests",
            dependencies: ["HakenStore", "HakenCore", "HakenTestSupport"]
        ),
        .testTarget(
            name: "HakenAppTests",
            dependencies: [
                "HakenApp", "HakenTestSupport", "HakenImage",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"],
            resources: [.copy("Photos")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
