import ArgumentParser
import GitStore
import SSOTCore
import SSOTEngine
import SSOTReport

extension SSOTCommand {
    /// `ssot rules`: the configured rules, explained in words.
    struct RulesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rules", abstract: "Explain the configured rules.")

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let context = try repository.paths.context()
            let root = (try? Repository.open(at: context.directory, environment: context.environment))?.workdir ?? context.directory
            guard let config = try context.configOverride ?? ConfigLoader.load(from: WorkingTree(root: root)) else {
                throw Failure.usage("no ssot config in \(root): add ssot.toml or [tool.ssot] to pyproject.toml")
            }
            Output.stdout(TextEscape.escapeLines(RulesText.render(config)))
        }
    }
}
