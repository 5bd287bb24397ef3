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
        // libgit2's headers from the system (Debian's libgit2-dev 1.5). It is
        // linked statically by GitStore, below.
        .systemLibrary(
            name: "CLibGit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // utf8proc (Debian's libutf8proc-dev): Unicode NFKC for identifiers with
        // non-ASCII bytes, as CPython normalises them (PEP 3131), without ICU.
        // Linked statically below, so the binary stays self-contained. (No
        // pkgConfig: its header is in /usr/include, and its cflags carry a
        // define SwiftPM refuses with a warning on every build.)
        .systemLibrary(
            name: "CUtf8proc",
            providers: [.apt(["libutf8proc-dev"])]
        ),
        // The Python scanner: bytes in, imports and resolved references out.
        // The parser is a class whose fields are touched per token; the runtime
        // exclusivity checks on them cost more than the work (seen in profiles).
        .target(name: "PythonScan", dependencies: ["CUtf8proc"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])],
                linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libutf8proc.a"])]),
        // Config, rules, findings, baseline and the gate's decision. Knows nothing of git.
        .target(name: "SSOTCore", dependencies: ["PythonScan", "CSupport", "TOMLKit"]),
        // glibc's memmem, which Swift's Glibc module does not export, the
        // stubs for libgit2's network code (libgit2_network_stubs.c), and path
        // keys (path_key.c: NFC by utf8proc).
        .target(name: "CSupport", dependencies: ["CUtf8proc"],
                linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libutf8proc.a"])]),
        // The only target that touches libgit2. libgit2-dev's static archives
        // (and those of the -dev packages it depends on): loading the shared
        // libraries cost 3 ms a run. See Sources/CSupport/libgit2_network_stubs.c.
        .target(
            name: "GitStore",
            dependencies: ["CLibGit2", "CSupport"],
            linkerSettings: [.unsafeFlags([
                "-Xlinker", "--wrap=mbedtls_x509_crt_parse_file",
                "-Xlinker", "--wrap=mbedtls_havege_init",
                "-Xlinker", "--wrap=mbedtls_havege_poll",
                "-Xlinker", "--wrap=libssh2_init",
                "-Xlinker", "-l:libgit2.a",
                "-Xlinker", "-l:libssh2.a",
                "-Xlinker", "-l:libmbedtls.a",
                "-Xlinker", "-l:libmbedx509.a",
                "-Xlinker", "-l:libmbedcrypto.a",
                "-Xlinker", "-l:libhttp_parser.a",
                "-Xlinker", "-l:libpcre2-8.a",
                "-Xlinker", "-l:libcrypto.a",
                "-Xlinker", "-l:libz.a",
            ])]
        ),
        .executableTarget(
            name: "ssot",
            dependencies: [
                "SSOTCore", "GitStore", "PythonScan",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PythonScanTests", dependencies: ["PythonScan", "TestSupport"]),
        .testTarget(name: "SSOTCoreTests", dependencies: ["SSOTCore", "TestSupport"]),
        .testTarget(name: "GitStoreTests", dependencies: ["GitStore", "TestSupport"]),
        // Depends on the executable so that `swift test` builds the binary it runs.
        .testTarget(name: "EndToEndTests", dependencies: ["ssot", "TestSupport"],
                    exclude: ["Fixtures"]),
    ]
)
