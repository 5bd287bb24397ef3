// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "ssot",
    products: [
        .executable(name: "ssot", targets: ["ssot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // libgit2 from the system (Debian's libgit2-dev 1.5), found through pkg-config.
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // The Python scanner: bytes in, imports and resolved references out. Depends on nothing.
        // The parser is a class whose fields are touched per token; the runtime
        // exclusivity checks on them cost more than the work (seen in profiles).
        .target(name: "PythonScan", swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Config, rules, findings, baseline and the gate's decision. Knows nothing of git.
        .target(name: "SSOTCore", dependencies: ["PythonScan", "CSupport", "TOMLKit"]),
        // glibc's memmem, which Swift's Glibc module does not export.
        .target(name: "CSupport"),
        // The only target that touches libgit2.
        .target(name: "GitStore", dependencies: ["CLibGit2"]),
        .executableTarget(
            name: "ssot",
            dependencies: [
                "SSOTCore", "GitStore", "PythonScan",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Lets the dynamic linker bind libgit2's CA-bundle loader to ssot's
            // no-op (Sources/CSupport/no_ca_bundle.c): 5 ms less per run.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=mbedtls_x509_crt_parse_file"])]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PythonScanTests", dependencies: ["PythonScan", "TestSupport"]),
        .testTarget(name: "SSOTCoreTests", dependencies: ["SSOTCore", "TestSupport"]),
        // Depends on the executable so that `swift test` builds the binary it runs.
        .testTarget(name: "EndToEndTests", dependencies: ["ssot", "TestSupport"],
                    exclude: ["Fixtures"]),
    ]
)
