// swift-tools-version:5.9
import Foundation
import PackageDescription

/// `SSOT_STATIC=1` (what `install.sh` and the benchmark set) links libgit2,
/// the libraries behind it and utf8proc statically, with the network stubs
/// of `StaticLink`: a self-contained binary that starts 3 ms sooner. Without
/// it, a plain `swift build` links the system's shared libgit2 (found by
/// pkg-config) and utf8proc, and uses no flag SwiftPM would refuse in a
/// dependency (as swift-format guards its one unsafe flag).
let linkStatically = ProcessInfo.processInfo.environment["SSOT_STATIC"] == "1"

/// The static archives libgit2 needs, in link order, from
/// `pkg-config --static --libs libgit2 libutf8proc`, less libssh2 and the
/// libraries only it needs (OpenSSL's, libgpg-error): `StaticLink` stands in
/// for the SSH transport ssot never uses. A library with an archive in
/// pkg-config's libdir is linked from it; glibc's own (rt, dl, pthread) stay
/// shared. Each is named once, where it last appears, so what needs it
/// comes first.
func staticArchives() -> [String] {
    func pkgConfig(_ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pkg-config"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : ""
    }
    let libdir = pkgConfig(["--variable=libdir", "libgit2"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let words = pkgConfig(["--static", "--libs", "libgit2", "libutf8proc"]).split(separator: " ")
        .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    let sshOnly: Set<String> = ["ssh2", "ssl", "crypto", "gpg-error"]
    let libraries = words.filter { $0.hasPrefix("-l") }.map { String($0.dropFirst(2)) }.filter { !sshOnly.contains($0) }
    var flags: [String] = []
    for (i, name) in libraries.enumerated() where !libraries[(i + 1)...].contains(name) {
        if FileManager.default.fileExists(atPath: "\(libdir)/lib\(name).a") && !["rt", "dl", "pthread", "m", "c"].contains(name) {
            flags += ["-Xlinker", "-l:lib\(name).a"]
        } else {
            flags += ["-Xlinker", "-l\(name)"]
        }
    }
    return flags
}

/// The static link: libgit2's network set-up wrapped to the stubs of
/// `Sources/StaticLink`, then the archives.
let staticLink: [LinkerSetting] = linkStatically ? [.unsafeFlags([
    "-Xlinker", "--wrap=mbedtls_x509_crt_parse_file",
    "-Xlinker", "--wrap=mbedtls_havege_init",
    "-Xlinker", "--wrap=mbedtls_havege_poll",
] + staticArchives())] : []

let package = Package(
    name: "ssot",
    products: [
        .executable(name: "ssot", targets: ["ssot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // libgit2's headers and, for the shared build, its link flags, from
        // pkg-config (Debian's libgit2-dev 1.5; Homebrew's libgit2 on macOS).
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: linkStatically ? nil : "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        // utf8proc (Debian's libutf8proc-dev): Unicode NFKC for identifiers with
        // non-ASCII bytes, as CPython normalises them (PEP 3131), and NFC for
        // path keys, without ICU. (No pkgConfig: its header is in /usr/include,
        // and its cflags carry a define SwiftPM refuses with a warning on every build.)
        .systemLibrary(
            name: "CUtf8proc",
            providers: [.apt(["libutf8proc-dev"]), .brew(["utf8proc"])]
        ),
        // The prefilter's SIMD word search and glibc's memmem; nothing else.
        .target(name: "CPrefilter"),
        // Path keys (NFC by utf8proc) and the one bytewise order of paths.
        .target(name: "CPathKey", dependencies: ["CUtf8proc"],
                linkerSettings: linkStatically ? [] : [.linkedLibrary("utf8proc")]),
        // The Python scanner: bytes in, imports and resolved references out.
        // The parser is a class whose fields are touched per token; the runtime
        // exclusivity checks on them cost more than the work (seen in profiles).
        .target(name: "PythonScan", dependencies: ["CUtf8proc"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])],
                linkerSettings: linkStatically ? [] : [.linkedLibrary("utf8proc")]),
        // TOML through toml++ (Debian's libtomlplusplus-dev), header-only, behind a C
        // face: the config reader needs no Foundation (whose ICU data was 34 MB of the binary).
        .target(name: "CTOML"),
        // Config, rules, findings, baseline and the gate's decision. Knows nothing of git.
        .target(name: "SSOTCore", dependencies: ["PythonScan", "CPrefilter", "CPathKey", "CTOML", "SSOTSystem"]),
        // The one read loop, write loop and parallel map, for every target above.
        .target(name: "SSOTSystem"),
        // The only target that touches libgit2.
        .target(name: "GitStore", dependencies: ["CLibGit2", "CPathKey", "CPrefilter", "SSOTSystem"] + (linkStatically ? ["StaticLink"] : [])),
        // The modes, the sources of files, parallel scanning, baseline writing,
        // tightening, the bypass and its audit log: what every command runs.
        .target(name: "SSOTEngine", dependencies: ["SSOTCore", "GitStore", "PythonScan", "SSOTSystem"]),
        // One reporter per format, for verdicts and pushes.
        .target(name: "SSOTReport", dependencies: ["SSOTEngine", "SSOTCore", "GitStore", "SSOTSystem"]),
        // Commands only.
        .executableTarget(
            name: "ssot",
            dependencies: [
                "SSOTEngine", "SSOTReport", "SSOTCore", "GitStore", "PythonScan", "SSOTSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PythonScanTests", dependencies: ["PythonScan", "TestSupport"]),
        .testTarget(name: "SSOTCoreTests", dependencies: ["SSOTCore", "TestSupport"]),
        .testTarget(name: "GitStoreTests", dependencies: ["GitStore", "TestSupport"]),
        .testTarget(name: "SSOTEngineTests", dependencies: ["SSOTEngine", "SSOTReport", "SSOTCore", "GitStore", "TestSupport"]),
        // Depends on the executable so that `swift test` builds the binary it runs.
        .testTarget(name: "EndToEndTests", dependencies: ["ssot", "SSOTEngine", "GitStore", "TestSupport"],
                    exclude: ["Fixtures"]),
    ] + (linkStatically ? [
        // Only with SSOT_STATIC=1: the static archives and the stubs that replace
        // libgit2's network set-up (Sources/StaticLink/libgit2_network_stubs.c).
        .target(name: "StaticLink", dependencies: ["CLibGit2"], linkerSettings: staticLink),
    ] : []),
    // toml++ is C++17.
    cxxLanguageStandard: .cxx17
)
