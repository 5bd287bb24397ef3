import ArgumentParser
import SSOTCore
import SSOTEngine
import SSOTReport

extension SSOTCommand {
    /// `ssot fix`: the migration itself (SPEC 8), on the working tree.
    struct Fix: ParsableCommand {
        // Named, not derived from the type's name: ArgumentParser demangles that on every run.
        static let configuration = CommandConfiguration(
            commandName: "fix",
            abstract: "Rewrite legacy imports to the canonical module, where it is provably the same object.",
            discussion: """
            Works on the working tree, like `ruff check --fix`: every tracked Python file, or the PATHs \
            given. Only import statements are edited, token by token; the baseline is tightened in the \
            same run. Prints each finding it leaves and why, then what the canonical module would have \
            to export to unblock the rest.
            """)

        @Flag(help: "Print a unified diff of the rewrite; write nothing (exit 1 when there is something to fix).")
        var diff = false

        @Flag(help: "Write nothing; exit 1 when there is something to fix.")
        var check = false

        @Flag(name: .customLong("unsafe-fixes"),
              help: "Also rewrite singleton calls into their replacement, where the enclosing function binds every name it passes.")
        var unsafeFixes = false

        @Argument(help: "Files or folders to fix in the working tree.")
        var paths: [String] = []

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let write = !diff && !check
            let outcome = try FixRun(paths: paths.isEmpty ? nil : paths, write: write, unsafeFixes: unsafeFixes).run(repository.paths.context())
            Report.writeMessages(outcome.messages)
            if diff { Output.stdout(FixReport.diff(outcome)) }
            let summary = FixReport.text(outcome, colour: Colour.enabled(forFD: diff ? 2 : 1))
            if diff { Output.stderr(summary) } else { Output.stdout(summary) }
            let fixable = outcome.files.contains { $0.fixed != nil }
            if !write && fixable { throw ExitStatus.rejected }
            if write && outcome.files.contains(where: { $0.refused != nil }) { throw ExitStatus.rejected }
        }
    }
}
