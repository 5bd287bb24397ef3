import Foundation
import GitStore
import SSOTCore

/// `ssot check --all` and `ssot check PATH…`: config, baseline and files come
/// from the working tree, the way a linter reads them (SPEC section 4, modes).
struct WorktreeCheck {
    let directory: String
    let configOverride: Config?
    let noBaseline: Bool

    func run(paths: [String]?) throws -> Verdict {
        Trace.mark("working directory and --config")
        let environment = ProcessEnvironment.current
        var repo: Repository?
        do {
            repo = try Repository.open(at: directory, environment: environment)
        } catch let error as GitError where error.code == -3 {
            repo = nil  // not a repository: a plain folder, walked like ruff walks one
        } catch let error as GitError {
            throw Failure.repository(RepositoryProblem.explain(error))
        }
        if let repo, repo.isBare {
            throw Failure.repository("\(repo.gitDir) is a bare repository: it has no working tree to check (use --range or --pre-receive)")
        }
        let root = repo?.workdir ?? directory
        let tree = WorkingTree(root: root)
        let config: Config
        do {
            guard let loaded = try configOverride ?? ConfigLoader.load(from: tree) else {
                throw Failure.usage("no ssot config in \(root): add ssot.toml or [tool.ssot] to pyproject.toml (`ssot init` writes one)")
            }
            config = loaded
        } catch let error as ConfigError {
            throw Failure.usage(error.description)
        }
        Trace.mark("repository and config")
        var verdict = Verdict(mode: paths == nil ? .all : .paths)
        verdict.config = config
        let candidates: [String]
        var tracked: Set<String>?
        if let paths {
            candidates = try tree.expand(paths, from: directory, repo: repo, config: config, messages: &verdict.messages)
        } else if let repo {
            let entries = try RepositoryProblem.wrap { try repo.indexEntries() }
            tracked = Set(entries.map(\.path))
            candidates = tree.trackedPythonFiles(entries, config: config, messages: &verdict.messages)
        } else {
            candidates = tree.walk("", config: config)
        }
        Trace.mark("list files (\(candidates.count))")
        let checker = FileChecker(config: config)
        let reports = ParallelScan.run(candidates, checker: checker, reader: .concurrent { path in
            try tree.readChecked(path, maxSize: config.maxFileSize)
        })
        Trace.mark("read and scan")
        for report in reports {
            verdict.messages += report.messages
            verdict.findings += report.findings
            if report.scanned { verdict.filesScanned += 1 }
        }
        verdict.findings.sort(by: Finding.reportOrder)
        if noBaseline {
            verdict.withoutBaseline = true
            for i in verdict.findings.indices { verdict.findings[i].new = true }
            return verdict
        }
        let baseline = try readBaseline(tree, config)
        Gate.markNew(&verdict.findings, allowed: baseline.allowed)
        let scanned = Set(reports.lazy.filter(\.scanned).map(\.path))
        verdict.loose = Gate.loose(baseline, findings: verdict.findings, paths: scanned)
        if let tracked {
            let stale = baseline.counts.filter { !tracked.contains($0.key.path) }
            verdict.loose += stale.map { BaselineChange(key: $0.key, before: $0.value, after: 0) }.sorted { $0.key < $1.key }
        }
        return verdict
    }

    func readBaseline(_ tree: WorkingTree, _ config: Config) throws -> Baseline {
        guard let bytes = try tree.bytes(at: config.baseline) else { return Baseline() }
        do {
            return try Baseline.parse(bytes, file: config.baseline)
        } catch let error as BaselineError {
            throw Failure.usage("malformed baseline: \(error.description)")
        }
    }
}
