// swift-tools-version:6.0
// libFuzzer targets for the mail reader, the API's decoders and validators, and the photo reader. A package of its own, because its executable
// only links with `-sanitize=fuzzer`: see scripts/fuzz.
import PackageDescription

let package = Package(
    name: "HakenFuzz",
    dependencies: [.package(name: "HakenDesk", path: "..")],
    targets: [
        .executableTarget(
            name: "HakenFuzz",
            dependencies: [.product(name: "HakenMail", package: "HakenDesk"), .product(name: "HakenCore", package: "HakenDesk"),
                           .product(name: "HakenImage", package: "HakenDesk")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
