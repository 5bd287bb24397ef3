import ArgumentParser
import Foundation
import GitStore
import SSOTCore

extension SSOTCommand {
    /// `ssot rules`: the configured rules, explained in words.
    struct RulesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rules", abstract: "Explain the configured rules.")

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let directory = try repository.workingDirectory()
            let root = (try? Repository.open(at: directory, environment: ProcessEnvironment.current))?.workdir ?? directory
            let config: Config
            do {
                guard let loaded = try repository.configOverride(relativeTo: directory)
                        ?? ConfigLoader.load(from: WorkingTree(root: root)) else {
                    throw Failure.usage("no ssot config in \(root): add ssot.toml or [tool.ssot] to pyproject.toml")
                }
                config = loaded
            } catch let error as ConfigError {
                throw Failure.usage(error.description)
            }
            Output.stdout(TextEscape.escapeLines(RulesText.render(config)))
        }
    }
}

enum RulesText {
    static func render(_ config: Config) -> String {
        var out = "Config: \(config.file); baseline: \(config.baseline); "
        out += "source roots: \(config.sourceRoots.map { $0.isEmpty ? "." : $0 }.joined(separator: ", "))\n"
        if config.rules.isEmpty { return out + "No rules are configured.\n" }
        for rule in config.rules {
            out += "\n\(rule.id) (\(rule.kind.rawValue))\n  \(rule.message)\n"
            switch rule.kind {
            case .import:
                out += "  Reports any import of, or from, these modules and the names under them:\n"
            case .singleton:
                out += "  Reports imports of these names and every use of them (calls and references):\n"
            }
            for name in rule.banned { out += "    \(name)\n" }
            if let canonical = rule.canonical { out += "  Import instead from: \(canonical)\n" }
            if let replacement = rule.replacement { out += "  Use instead: \(replacement)\n" }
            if !rule.allowIn.isEmpty {
                out += "  Does not apply in: \(rule.allowIn.map(\.pattern).joined(separator: ", "))\n"
            }
        }
        return out
    }
}
