import ArgumentParser
import Foundation
import GitStore
import SSOTCore

extension SSOTCommand {
    /// `ssot init`: adopt ssot in one commit. It writes a starter config when
    /// there is none (asking for a first rule only on a terminal), stages it,
    /// and writes and stages the first baseline next to it, so that config and
    /// baseline land together (a baseline committed after its config is growth).
    struct InitCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Adopt ssot: a starter config and its first baseline, both staged.")

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let directory = try repository.workingDirectory()
            let environment = ProcessEnvironment.current
            let repo = try RepositoryProblem.wrap { try Repository.open(at: directory, environment: environment) }
            guard let workdir = repo.workdir else { throw Failure.repository("\(repo.gitDir) is a bare repository") }
            let head = try RepositoryProblem.wrap { try repo.headTree() }
            if let adopted = try? ConfigLoader.load(from: CommitTree(repository: repo, tree: head)) {
                throw Failure.usage("ssot is already adopted: HEAD has \(adopted.file); run `ssot baseline` to rewrite the baseline")
            }
            let tree = WorkingTree(root: workdir)
            let configFile: String
            var wrote = false
            do {
                if try tree.bytes(at: "ssot.toml") != nil {
                    configFile = "ssot.toml"
                } else if let bytes = try tree.bytes(at: "pyproject.toml"), try ConfigLoader.parse(bytes, file: "pyproject.toml") != nil {
                    configFile = "pyproject.toml"
                } else {
                    configFile = try StarterConfig.write(into: tree, interactive: isatty(0) == 1 && isatty(1) == 1)
                    wrote = true
                }
                guard let bytes = try tree.bytes(at: configFile), let config = try ConfigLoader.parse(bytes, file: configFile) else {
                    throw Failure.usage("cannot read \(configFile)")
                }
                let index = try RepositoryProblem.wrap { try repo.index() }
                try BaselineWriter(repo: repo, index: index, path: configFile).stage(bytes)
                var messages: [FileMessage] = []
                let findings = StagedScan.findings(repo, index, config, messages: &messages)
                Report.writeMessages(messages)
                let baseline = Baseline(findings: findings)
                try BaselineWriter(repo: repo, index: index, path: config.baseline).write(baseline)
                Output.stdout("""
                \(wrote ? "Wrote" : "Using") \(configFile) (\(config.rules.count) rule\(config.rules.count == 1 ? "" : "s")) and \
                \(config.baseline) (\(baseline.counts.count) entr\(baseline.counts.count == 1 ? "y" : "ies")); both are staged.
                Next: review them, commit them together (git commit -m "Adopt ssot"), and install the hook (./install.sh --hook pre-commit).

                """)
            } catch let error as ConfigError {
                throw Failure.usage(error.description)
            }
        }
    }
}

/// The config `ssot init` writes when the repository has none.
enum StarterConfig {
    static func write(into tree: WorkingTree, interactive: Bool) throws -> String {
        var rule = """
        # [[tool.ssot.rule]]
        # id = "websocket-canonical-import"
        # kind = "import"
        # canonical = "app.websocket_core.canonical_imports"
        # banned = ["app.websocket_core.unified_manager"]
        # message = "Import WebSocket classes from the canonical module."
        """
        if interactive, let (banned, canonical) = ask() {
            rule = """
            [[tool.ssot.rule]]
            id = "canonical-import"
            kind = "import"
            canonical = "\(canonical)"
            banned = ["\(banned)"]
            message = "Import from \(canonical)."
            """
        }
        let roots = FileManager.default.fileExists(atPath: tree.absolute("src")) ? "[\"src\", \".\"]" : "[\".\"]"
        let body = """
        [tool.ssot]
        baseline = ".ssot-baseline"
        source-roots = \(roots)

        \(rule)

        """
        if let existing = try tree.bytes(at: "pyproject.toml") {
            var text = String(decoding: existing, as: UTF8.self)
            if !text.hasSuffix("\n") { text += "\n" }
            try AtomicFile.write(Array((text + "\n" + body).utf8), root: tree.root, relative: "pyproject.toml")
            return "pyproject.toml"
        }
        let plain = body.replacingOccurrences(of: "[tool.ssot]\n", with: "")
            .replacingOccurrences(of: "tool.ssot.rule", with: "rule")
        try AtomicFile.write(Array(("# ssot: single-source-of-truth rules. See `ssot rules`.\n" + plain).utf8), root: tree.root, relative: "ssot.toml")
        return "ssot.toml"
    }

    static func ask() -> (String, String)? {
        Output.stdout("A legacy module to ban (empty to skip): ")
        Output.flush()
        guard let banned = readLine()?.trimmingCharacters(in: .whitespaces), !banned.isEmpty else { return nil }
        Output.stdout("Its canonical replacement module: ")
        Output.flush()
        guard let canonical = readLine()?.trimmingCharacters(in: .whitespaces), !canonical.isEmpty else { return nil }
        return (banned, canonical)
    }
}
