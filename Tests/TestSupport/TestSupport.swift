import Foundation

/// Where things are: the package and the built `ssot`. (Nothing here needs
/// anything beside the package: a user's clone has only the package.)
public enum Paths {
    /// The package root, from this file's location.
    public static let package: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()


    /// The `ssot` built beside the test bundle (SwiftPM builds it: the
    /// end-to-end tests depend on the executable target).
    /// The binary under test: `SSOT_TEST_BINARY` when set (to run the
    /// end-to-end suites against what `install.sh` built), else the build's own.
    public static var ssot: URL {
        if let binary = ProcessInfo.processInfo.environment["SSOT_TEST_BINARY"], !binary.isEmpty {
            return URL(fileURLWithPath: binary)
        }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [beside, beside.deletingLastPathComponent(), package.appendingPathComponent(".build/debug")] {
            let candidate = dir.appendingPathComponent("ssot")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return package.appendingPathComponent(".build/debug/ssot")
    }
}

/// A folder that disappears with the value's owner.
public final class TempDir {
    public let url: URL
    public var path: String { url.path }

    public init(_ prefix: String = "ssot-test") {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
        url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    public func write(_ relative: String, _ text: String) -> URL {
        write(relative, Data(text.utf8))
    }

    @discardableResult
    public func write(_ relative: String, _ data: Data) -> URL {
        let file = url.appendingPathComponent(relative)
        try! FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! data.write(to: file)
        return file
    }

    public func read(_ relative: String) -> String? {
        try? String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
    }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(relative).path)
    }
}

/// What a child process did.
public struct RunResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var output: String { stdout + stderr }
}

/// Runs a program and waits, feeding `stdin` and collecting both outputs
/// without deadlocking on full pipes.
@discardableResult
public func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil,
                environment: [String: String] = [:], stdin: String? = nil) -> RunResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    for key in env.keys where key.hasPrefix("GIT_") { env[key] = nil }
    env["NO_COLOR"] = "1"
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["GIT_CONFIG_GLOBAL"] = "/dev/null"
    env["GIT_AUTHOR_NAME"] = "Test"
    env["GIT_AUTHOR_EMAIL"] = "test@example.com"
    env["GIT_COMMITTER_NAME"] = "Test"
    env["GIT_COMMITTER_EMAIL"] = "test@example.com"
    for (k, v) in environment { env[k] = v.isEmpty ? nil : v }
    process.environment = env
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    final class Sink: @unchecked Sendable { var data = Data() }
    let outSink = Sink(), errSink = Sink()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outSink.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { errSink.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    do {
        try process.run()
    } catch {
        return RunResult(status: -1, stdout: "", stderr: "cannot run \(executable): \(error)")
    }
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()
    return RunResult(status: process.terminationStatus,
                     stdout: String(decoding: outSink.data, as: UTF8.self),
                     stderr: String(decoding: errSink.data, as: UTF8.self))
}

/// Runs the built `ssot`.
@discardableResult
public func ssot(_ arguments: [String], in directory: String, environment: [String: String] = [:],
                 stdin: String? = nil) -> RunResult {
    runProcess(Paths.ssot.path, arguments, in: directory, environment: environment, stdin: stdin)
}

/// A repository made with the real `git`, with a fixed identity and no
/// signing, so tests check libgit2's view against git's own.
public final class GitRepo {
    public let dir: TempDir
    public var path: String { dir.path }

    public init(bare: Bool = false, initialBranch: String = "main") {
        dir = TempDir("ssot-repo")
        git(["init", "-q", "-b", initialBranch] + (bare ? ["--bare"] : []))
        git(["config", "commit.gpgsign", "false"])
        git(["config", "core.autocrlf", "false"])
    }

    @discardableResult
    public func git(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) -> RunResult {
        runProcess(Tools.git, arguments, in: path, environment: environment, stdin: stdin)
    }

    @discardableResult
    public func write(_ relative: String, _ text: String) -> URL { dir.write(relative, text) }

    public func read(_ relative: String) -> String? { dir.read(relative) }

    /// Adds everything and commits; returns the new commit id.
    @discardableResult
    public func commitAll(_ message: String = "change") -> String {
        git(["add", "-A"])
        git(["commit", "-q", "--no-verify", "-m", message])
        return head()
    }

    public func head() -> String {
        git(["rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A small seeded generator (SplitMix64): the same files every run.
public struct SplitMix {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The tools the tests run, found on PATH as a shell finds them (never a
/// fixed path: a machine may keep git in /usr/local/bin).
public enum Tools {
    public static let git = find("git")
    public static let readelf = find("readelf")
    public static let timeout = find("timeout")

    /// The first executable `name` on PATH; the bare name when there is none,
    /// so that the run fails saying which tool is missing.
    public static func find(_ name: String) -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let exe = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: exe) { return exe }
        }
        return name
    }
}

/// The slow suites (every end-to-end suite: the binary through the real
/// `git`, the CPython differential over the whole installation, the fuzz
/// test, the big generated repositories) run only with `SSOT_SLOW_TESTS=1`,
/// which `.ci/run` sets; a contributor's `swift test` runs the in-process
/// suites in seconds.
public enum SlowTests {
    public static var enabled: Bool { ProcessInfo.processInfo.environment["SSOT_SLOW_TESTS"] == "1" }

    /// What a slow test says when it is skipped: `guard SlowTests.enabled else { throw XCTSkip(SlowTests.reason) }`.
    public static let reason = "a slow suite: set SSOT_SLOW_TESTS=1 to run it (CI does)"
}
