import ArgumentParser
import SSOTCore
import SSOTEngine
import SSOTReport

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
            let outcome = try BaselineRewrite(allowGrowth: allowGrowth).run(repository.paths.context())
            Report.writeMessages(outcome.messages)
            guard let new = outcome.written else {
                var text = "ssot: refusing to grow \(outcome.path): the staged tree has more findings than it allows:\n"
                for g in outcome.grown { text += "  " + EntryLine.change(g) + "\n" }
                text += "Fix those findings, or run `ssot baseline --allow-growth` for a change that will be reviewed.\n"
                Output.stderr(text)
                throw ExitStatus.rejected
            }
            let files = Set(new.counts.keys.map(\.path)).count
            var summary = "Wrote \(outcome.path): \(new.counts.count) entr\(new.counts.count == 1 ? "y" : "ies") "
                + "(\(outcome.findings) finding\(outcome.findings == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")), staged"
            if let old = outcome.old {
                let before = old.counts.values.reduce(0, +), after = new.counts.values.reduce(0, +)
                if after < before { summary += "; \(before - after) fewer allowed than before" }
                if after > before { summary += "; \(after - before) more allowed than before (--allow-growth)" }
            }
            Output.stdout(summary + ".\n")
        }
    }
}
