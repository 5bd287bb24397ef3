import ArgumentParser
import SSOTReport

extension ReportFormat: ExpressibleByArgument {}

extension SSOTCommand {
    /// `ssot check`: the gate in every mode (SPEC section 4).
    struct Check: ParsableCommand {
        // Named, not derived from the type's name: ArgumentParser demangles that on every run.
        static let configuration = CommandConfiguration(
            commandName: "check",
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

        var target: Result<CheckRequest.Target, CheckUsage> {
            CheckRequest.target(staged: staged, preReceive: preReceive, range: range, all: all, paths: paths)
        }

        func validate() throws {
            if case let .failure(usage) = target { throw ValidationError(usage.message) }
        }

        func run() throws {
            try CheckRequest(target: target.get(), format: format, noBaseline: noBaseline, repository: repository.paths).run()
        }
    }
}
