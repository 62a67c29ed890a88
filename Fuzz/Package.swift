// swift-tools-version:6.0
// libFuzzer targets for the mail reader and the API's decoders and validators. A package of its own, because its executable
// only links with `-sanitize=fuzzer`: see scripts/fuzz.
import PackageDescription

let package = Package(
    name: "HakenFuzz",
    dependencies: [.package(name: "HakenDesk", path: "..")],
    targets: [
        .executableTarget(
            name: "HakenFuzz",
            dependencies: [.product(name: "HakenMail", package: "HakenDesk"), .product(name: "HakenCore", package: "HakenDesk")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
