import ArgumentParser
import SSOTCore
import SSOTEngine
import SSOTReport
import SSOTSystem
#if canImport(Glibc)
import Glibc
#endif

extension TrendFormat: ExpressibleByArgument {}

extension SSOTCommand {
    /// `ssot trend`: the debt over the whole history (SPEC 10).
    struct TrendCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trend",
            abstract: "Draw the debt over history: findings, files and compliance per commit, from git objects.",
            discussion: """
            Walks the first-parent history of REV (default HEAD), oldest first, without checking anything \
            out, so it runs in a bare repository and beside a dirty work tree. One set of rules measures the \
            whole line: the working tree's config, or --config; --rules-at each uses each commit's own. What \
            each blob yields, and each commit's point, are cached in the git directory (ssot/trend-v1.cache, \
            ssot/trend-points-v1.cache), so a second run reads no tree and a run after new commits scans only \
            their new blobs.
            """)

        @Argument(help: ArgumentHelp("The commit whose history to walk.", valueName: "REV"))
        var revision = "HEAD"

        @Option(help: ArgumentHelp("Start at this date (YYYY-MM-DD, by commit date) or at this commit.", valueName: "DATE|REV"))
        var since: String?

        // Unconditional: `--every -3` is a bad value, not a missing one.
        @Option(parsing: .unconditional,
                help: ArgumentHelp("Measure every Nth commit (the newest always), or the last commit of each day or week.",
                                   valueName: "N|day|week"))
        var every = "1"

        @Option(name: .customLong("rules-at"), help: ArgumentHelp("HEAD: one set of rules throughout; each: every commit's own config.",
                                                                  valueName: "HEAD|each"))
        var rulesAt = "HEAD"

        @Option(help: "Output format.")
        var format: TrendFormat = .text

        @Option(help: ArgumentHelp("Also draw the trend into this SVG file.", valueName: "FILE"))
        var svg: String?

        @Flag(name: .customLong("no-cache"), help: "Neither read nor write the cache of what blobs yield.")
        var noCache = false

        @OptionGroup var repository: RepositoryOptions

        func validate() throws {
            if let problem = request.problem { throw ValidationError(problem) }
        }

        func run() throws { try request.run() }

        /// The same, as plain values.
        var request: TrendRequest {
            TrendRequest(revision: revision, since: since, every: every, rulesAt: rulesAt, format: format, svg: svg,
                         noCache: noCache, paths: repository.paths)
        }
    }
}

/// What `ssot trend` was asked, however its command line was read
/// (ArgumentParser, or `TrendArguments` for the plain forms).
struct TrendRequest {
    var revision = "HEAD"
    var since: String?
    var every = "1"
    var rulesAt = "HEAD"
    var format = TrendFormat.text
    var svg: String?
    var noCache = false
    var paths = RepositoryPaths()

    /// What is wrong with the values, as `--help`'s words say it; nil: nothing.
    var problem: String? {
        if !["HEAD", "each"].contains(rulesAt) { return "--rules-at is HEAD or each, not \(rulesAt)" }
        if !(every == "day" || every == "week" || (Int(every) ?? 0) >= 1) {
            return "--every is a number of commits (1 or more), day or week, not \(every)"
        }
        return nil
    }

    func run() throws {
        var run = TrendRun()
        run.revision = revision
        run.since = since
        run.every = every == "day" ? .day : every == "week" ? .week : .commits(Int(every)!)
        run.rulesAtEach = rulesAt == "each"
        run.cache = !noCache
        let progress = Progress(enabled: isatty(2) == 1)
        run.progress = { done, total in progress.show(done, total) }
        let (trend, _, notes) = try run.run(paths.context())
        progress.clear()
        for n in notes { Output.stderr("ssot trend: " + TextEscape.escape(n) + "\n") }
        if let svg {
            let parts = svg.split(separator: "/", omittingEmptySubsequences: false)
            let name = String(parts.last ?? "")
            let folder = parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
            try AtomicFile.stage(Array(TrendSVG.render(trend).utf8), root: folder.isEmpty ? "/" : folder,
                                 relative: name, sync: false).commit()
        }
        Output.stdout(format.render(trend, colour: format == .text ? Colour.enabled(forFD: 1) : Colour(on: false)))
        Trace.mark("trend: written")
    }
}

/// Commits done, of how many, and the time left, on a terminal's stderr:
/// redrawn at most ten times a second, nothing when stderr is not a terminal.
final class Progress {
    let enabled: Bool
    private let start = Progress.now()
    private var last = 0.0
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func show(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let t = Progress.now()
        guard t - last >= 0.1 || done == total else { return }
        last = t
        let elapsed = t - start
        let left = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        Output.stderr("\r\u{1B}[Kssot trend: \(done) of \(total) commits, about \(Int(left.rounded(.up))) s left")
        drawn = true
    }

    func clear() {
        if drawn { Output.stderr("\r\u{1B}[K") }
    }
}
