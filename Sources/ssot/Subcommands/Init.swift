import ArgumentParser
import SSOTCore
import SSOTEngine
import SSOTReport
#if canImport(Glibc)
import Glibc
#endif

extension SSOTCommand {
    /// `ssot init`: a starter config when there is none (asking for a first
    /// rule only on a terminal) and its first baseline, both staged.
    struct InitCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Adopt ssot: a starter config and its first baseline, both staged.")

        @OptionGroup var repository: RepositoryOptions

        func run() throws {
            let interactive = isatty(0) == 1 && isatty(1) == 1
            let outcome = try Adopt(firstRule: { interactive ? InitCommand.ask() : nil }).run(repository.paths.context())
            Report.writeMessages(outcome.messages)
            let rules = outcome.config.rules.count, entries = outcome.baseline.counts.count
            Output.stdout("""
            \(outcome.wroteConfig ? "Wrote" : "Using") \(outcome.configFile) (\(rules) rule\(rules == 1 ? "" : "s")) and \
            \(outcome.config.baseline) (\(entries) entr\(entries == 1 ? "y" : "ies")); both are staged.
            Next: review them, commit them together (git commit -m "Adopt ssot"), and install the hook (./install.sh --hook pre-commit).

            """)
        }

        static func ask() -> (banned: String, canonical: String)? {
            Output.stdout("A legacy module to ban (empty to skip): ")
            Output.flush()
            guard let banned = readLine().map(trimmed), !banned.isEmpty else { return nil }
            Output.stdout("Its canonical replacement module: ")
            Output.flush()
            guard let canonical = readLine().map(trimmed), !canonical.isEmpty else { return nil }
            return (banned, canonical)
        }

        /// Without the blanks around it.
        static func trimmed(_ s: String) -> String {
            String(s.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }
    }
}
