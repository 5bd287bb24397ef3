import ArgumentParser
import Foundation
import GitStore
import SSOTCore

/// Options every command that touches a repository shares.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if ssot was started in DIR.", valueName: "DIR"))
    var directory: String?

    @Option(help: ArgumentHelp("Use this config file instead of the repository's.", valueName: "FILE"))
    var config: String?

    /// The same, as plain values.
    var paths: RepositoryPaths { RepositoryPaths(directory: directory, config: config) }

    func workingDirectory() throws -> String { try paths.workingDirectory() }

    func configOverride(relativeTo directory: String) throws -> Config? { try paths.configOverride(relativeTo: directory) }
}

/// `-C DIR` and `--config FILE`, resolved.
struct RepositoryPaths {
    var directory: String?
    var config: String?

    /// The folder to work in, absolute, after `-C`.
    func workingDirectory() throws -> String {
        let cwd = FileManager.default.currentDirectoryPath
        guard let directory else { return cwd }
        let path = directory.hasPrefix("/") ? directory : cwd + "/" + directory
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw Failure.usage("cannot change to '\(directory)': no such directory")
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The `--config` file, read from disk, if one was given.
    func configOverride(relativeTo directory: String) throws -> Config? {
        guard let file = config else { return nil }
        let path = file.hasPrefix("/") ? file : directory + "/" + file
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.usage("cannot read config file '\(file)'")
        }
        do {
            guard let config = try ConfigLoader.parse([UInt8](data), file: file) else {
                throw Failure.usage("\(file) has no [tool.ssot] table")
            }
            return config
        } catch let error as ConfigError {
            throw Failure.usage(error.description)
        }
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, github
}

extension SSOTCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check Python files against the configured rules.",
            discussion: """
            Gating modes read config and baseline from the parent commit: --staged (pre-commit), \
            --pre-receive (server hook), --range A..B (CI). With --all or PATHs, config, baseline \
            and files come from the working tree, as a linter's do.
            """)

        @Flag(help: "Check the staged change against HEAD (the pre-commit gate).")
        var staged = false

        @Flag(name: .customLong("pre-receive"), help: "Judge the ref updates on stdin (the pre-receive gate).")
        var preReceive = false

        @Option(help: ArgumentHelp("Check the change between two commits (A..B or A...B).", valueName: "A..B"))
        var range: String?

        @Flag(help: "Check every tracked Python file in the working tree.")
        var all = false

        @Argument(help: "Files or folders to check in the working tree.")
        var paths: [String] = []

        @Option(help: "Output format.")
        var format: ReportFormat = .text

        @Flag(name: .customLong("no-baseline"), help: "Ignore the baseline: every finding is new.")
        var noBaseline = false

        @OptionGroup var repository: RepositoryOptions

        func validate() throws {
            let modes = [staged, preReceive, range != nil, all, !paths.isEmpty].filter { $0 }.count
            if modes == 0 {
                throw ValidationError("say what to check: --staged, --pre-receive, --range A..B, --all or PATH…")
            }
            if modes > 1 {
                throw ValidationError("choose one of --staged, --pre-receive, --range, --all or PATH…")
            }
        }

        func run() throws {
            try CheckRequest(staged: staged, preReceive: preReceive, range: range, all: all, paths: paths, format: format,
                             noBaseline: noBaseline, repository: repository.paths).run()
        }
    }
}
