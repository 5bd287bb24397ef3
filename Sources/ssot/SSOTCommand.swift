import ArgumentParser
import SSOTCore
import SSOTEngine
import SSOTReport
#if canImport(Glibc)
import Glibc
#endif

/// `ssot`: one command with a subcommand per job, each in its own file under
/// `Subcommands/`.
@main
struct SSOTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssot",
        abstract: "Keep a Python codebase's single-source-of-truth migration from sliding back.",
        version: SSOTVersion.current,
        subcommands: [Check.self, Fix.self, ReportCommand.self, TrendCommand.self, BaselineCommand.self, InitCommand.self, RulesCommand.self, ScanBenchCommand.self]
    )

    static func main() {
        signal(SIGPIPE, SIG_IGN)
        Trace.mark("main")
        // `ssot --version` answers before ArgumentParser builds its command tree (3 ms):
        // tools and hooks ask it to see that ssot is installed.
        if CommandLine.arguments.dropFirst().elementsEqual(["--version"]) {
            Output.stdout(SSOTVersion.current + "\n")
            Output.flush()
            return
        }
        do {
            if let request = HookArguments.check(CommandLine.arguments.dropFirst()) {
                Trace.mark("arguments (a hook's)")
                try request.run()
            } else if let request = TrendArguments.trend(CommandLine.arguments.dropFirst()) {
                Trace.mark("arguments (a trend's)")
                try request.run()
            } else {
                var command = try parseAsRoot()
                Trace.mark("arguments")
                try command.run()
            }
        } catch {
            Output.flush()
            ExitMapping.exit(for: error)
        }
        Output.flush()
    }
}
