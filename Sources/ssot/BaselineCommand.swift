import ArgumentParser
import Foundation
import GitStore
import SSOTCore

extension SSOTCommand {
    /// `ssot baseline`: the ratchet file, written from a scan of the whole
    /// staged tree with the staged config, into the working tree and the index.
    struct BaselineCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "baseline",
            abstract: "Write the ratchet file from the staged tree, and stage it.",
            discussion: "It refuses to grow an existing baseline unless given --allow-growth. Entries of deleted files are dropped.")

        @Flag(name: .customLong("allow-growth"), help: "Allow entries to be added or raised (for a reviewed change).")
        var allowGrowth = false

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let directory = try repository.workingDirectory()
            let environment = ProcessEnvironment.current
            let repo = try RepositoryProblem.wrap { try Repository.open(at: directory, environment: environment) }
            if repo.isBare { throw Failure.repository("\(repo.gitDir) is a bare repository: it has no staged tree") }
            let indexFile = GitEnvironment.indexFile(environment, relativeTo: directory)
            let index = try RepositoryProblem.wrap { try repo.index(at: indexFile) }
            let config = try StagedConfig.load(repo, index, override: repository.configOverride(relativeTo: directory))
            let writer = BaselineWriter(repo: repo, index: index, path: config.baseline)
            let old = try writer.existing()
            var messages: [FileMessage] = []
            let findings = StagedScan.findings(repo, index, config, messages: &messages)
            Report.writeMessages(messages)
            let new = Baseline(findings: findings)
            if let old {
                // As the gate judges it: entries of a rule HEAD's config does not define yet are its adoption.
                let head = try? ConfigLoader.load(from: CommitTree(repository: repo, tree: RepositoryProblem.wrap { try repo.headTree() }))
                let grown = ChangeGate.growth(parent: old, proposed: new, config: head ?? config, renames: [:])
                if !grown.isEmpty && !allowGrowth {
                    var text = "ssot: refusing to grow \(config.baseline): the staged tree has more findings than it allows:\n"
                    for g in grown {
                        text += "  \(Terminal.escape(g.key.path))\t\(g.key.rule)\t\(Terminal.escape(g.key.fingerprint))\t\(g.before) → \(g.after)\n"
                    }
                    text += "Fix those findings, or run `ssot baseline --allow-growth` for a change that will be reviewed.\n"
                    Output.stderr(text)
                    throw ExitStatus.rejected
                }
            }
            try writer.write(new)
            let files = Set(new.counts.keys.map(\.path)).count
            var summary = "Wrote \(config.baseline): \(new.counts.count) entr\(new.counts.count == 1 ? "y" : "ies") "
                + "(\(findings.count) finding\(findings.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")), staged"
            if let old {
                let before = old.counts.values.reduce(0, +), after = new.counts.values.reduce(0, +)
                if after < before { summary += "; \(before - after) fewer allowed than before" }
                if after > before { summary += "; \(after - before) more allowed than before (--allow-growth)" }
            }
            Output.stdout(summary + ".\n")
        }
    }
}

/// The config of the staged tree (or `--config`), for commands that write
/// what the next commit will carry.
enum StagedConfig {
    static func load(_ repo: Repository, _ index: Index, override: Config?) throws -> Config {
        do {
            guard let config = try override ?? ConfigLoader.load(from: StagedTree(repository: repo, index: index)) else {
                throw Failure.usage("no ssot config is staged (ssot.toml or [tool.ssot] in pyproject.toml); `ssot init` adopts ssot")
            }
            return config
        } catch let error as ConfigError {
            throw Failure.usage("\(error.description) (staged)")
        }
    }
}
