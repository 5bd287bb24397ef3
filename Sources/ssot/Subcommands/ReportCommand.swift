import ArgumentParser
import SSOTCore
import SSOTEngine
import SSOTReport

extension MigrationFormat: ExpressibleByArgument {}

extension SSOTCommand {
    /// `ssot report`: where the migration stands (SPEC 9).
    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Say where the migration stands: findings, files, compliance, what fix would fix, the goal.",
            discussion: """
            Measures the whole working tree, or --rev REV read from git objects. Compliance is the rule's \
            canonical uses (its shadow: imports from the canonical module, calls of the replacement) over \
            canonical and legacy together. With --base REV, the change since REV under the same rules, and \
            the compliance of the files changed since ("new code").
            """)

        @Option(help: ArgumentHelp("Measure this commit instead of the working tree.", valueName: "REV"))
        var rev: String?

        @Option(help: ArgumentHelp("Compare with this commit.", valueName: "REV"))
        var base: String?

        @Option(help: "Output format.")
        var format: MigrationFormat = .text

        @Option(help: "Folder depth of the most-findings list.")
        var depth: Int = 2

        @Option(help: "How many folders and files the lists show.")
        var top: Int = 10

        @OptionGroup var repository: RepositoryOptions

        func validate() throws {
            guard depth >= 1 else { throw ValidationError("--depth must be 1 or more") }
            guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
        }

        func run() throws {
            var run = ReportRun(revision: rev, base: base)
            run.depth = depth
            run.top = top
            let (report, messages) = try run.run(repository.paths.context())
            Trace.mark("report: measured")
            Report.writeMessages(messages)
            Output.stdout(format.render(report, colour: format == .text ? Colour.enabled(forFD: 1) : Colour(on: false)))
            Trace.mark("report: written")
        }
    }
}
