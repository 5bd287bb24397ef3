// swift-tools-version:5.9
import Foundation
import PackageDescription

/// `SSOT_STATIC=1` (what `install.sh` and the benchmark set) links libgit2,
/// the libraries behind it and utf8proc statically, with the network stubs
/// of `GitStatic`: a self-contained binary that starts 3 ms sooner. Without
/// it, a plain `swift build` links Debian's shared libgit2 and utf8proc, and
/// needs no flag SwiftPM would refuse in a dependency (as swift-format
/// guards its one unsafe flag).
let linkStatically = ProcessInfo.processInfo.environment["SSOT_STATIC"] == "1"

/// libgit2-dev's static archives and those of the -dev packages it depends
/// on, with the wraps of libgit2's network set-up (Sources/GitStatic).
let staticLibGit2: [LinkerSetting] = [.unsafeFlags([
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

let utf8proc: [LinkerSetting] = linkStatically ? [.unsafeFlags(["-Xlinker", "-l:libutf8proc.a"])] : [.linkedLibrary("utf8proc")]

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
                linkerSettings: utf8proc),
        // Config, rules, findings, baseline and the gate's decision. Knows nothing of git.
        .target(name: "SSOTCore", dependencies: ["PythonScan", "CSupport", "TOMLKit"]),
        // glibc's memmem, which Swift's Glibc module does not export, the
        // prefilter's SIMD search, and path keys (path_key.c: NFC by utf8proc).
        .target(name: "CSupport", dependencies: ["CUtf8proc"], linkerSettings: utf8proc),
        // Replacements for libgit2's network set-up, linked only with the static
        // libgit2 (SSOT_STATIC=1): see Sources/GitStatic/libgit2_network_stubs.c.
        .target(name: "GitStatic"),
        // The only target that touches libgit2: statically with SSOT_STATIC=1
        // (loading the shared libraries cost 3 ms a run), else Debian's shared one.
        .target(
            name: "GitStore",
            dependencies: ["CLibGit2", "CSupport"] + (linkStatically ? ["GitStatic"] : []),
            linkerSettings: linkStatically ? staticLibGit2 : [.linkedLibrary("git2")]
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
