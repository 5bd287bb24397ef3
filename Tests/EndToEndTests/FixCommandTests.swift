import Foundation
import TestSupport
import XCTest

/// `ssot fix` with the real binary and the real `git` (SPEC 8): the
/// round-trip property on generated trees, judged by CPython; the tightened
/// baseline; `check --all` clean afterwards; a commit through the hook;
/// `--diff` and `--check` write nothing; nothing is written through a link.
final class FixCommandTests: EndToEndCase {
    static let script = Paths.package.appendingPathComponent("Tests/EndToEndTests/Fixtures/fix_roundtrip.py").path
    let env = ["SSOT_BIN": Paths.ssot.path]

    /// A generated tree, committed with its baseline, and a pristine copy.
    func generated(seed: Int, files: Int) -> (repo: GitRepo, before: TempDir) {
        let before = TempDir("ssot-fix-before")
        let gen = runProcess(Pythons.python3, [FixCommandTests.script, "generate", before.path, "\(seed)", "\(files)"])
        XCTAssertEqual(gen.status, 0, gen.output)
        let repo = GitRepo()
        XCTAssertEqual(runProcess("/bin/cp", ["-a", before.path + "/.", repo.path]).status, 0)
        repo.git(["add", "-A"])
        let baseline = ssot(["baseline"], in: repo.path)
        XCTAssertEqual(baseline.status, 0, baseline.output)
        repo.commitAll("adopt ssot")
        return (repo, before)
    }

    struct RoundTrip: Decodable {
        var files: Int
        var rewrites: Int
        var missed: [String]
        var disagreements: [String]
    }

    func testRoundTripOnGeneratedTreesAgreesWithCPython() throws {
        var totals = (files: 0, rewrites: 0)
        for seed in 1...4 {
            let (repo, before) = generated(seed: seed, files: 150)
            let fix = ssot(["fix"], in: repo.path)
            XCTAssertEqual(fix.status, 0, fix.output)
            let check = runProcess(Pythons.python3, [FixCommandTests.script, "check", before.path, repo.path])
            XCTAssertEqual(check.status, 0, check.output)
            let report = try JSONDecoder().decode(RoundTrip.self, from: Data(check.stdout.utf8))
            XCTAssertEqual(report.disagreements, [], "seed \(seed)")
            XCTAssertEqual(report.missed, [], "seed \(seed): imports CPython's resolver could move and ssot did not")
            XCTAssertGreaterThan(report.rewrites, 100, "seed \(seed)")
            totals.files += report.files
            totals.rewrites += report.rewrites
            // A second run changes nothing, and the tree is clean by the gate's own reading.
            let status = repo.git(["status", "--porcelain"]).stdout
            let again = ssot(["fix"], in: repo.path)
            XCTAssertEqual(again.status, 0, again.output)
            XCTAssertTrue(again.stdout.contains("Fixed 0 findings in 0 files."), again.stdout)
            XCTAssertEqual(repo.git(["status", "--porcelain"]).stdout, status)
            XCTAssertEqual(repo.git(["diff", "--stat"]).status, 0)
            let all = ssot(["check", "--all"], in: repo.path)
            XCTAssertEqual(all.status, 0, all.output)
        }
        print("fix round trip: \(totals.files) files, \(totals.rewrites) rewrites, 0 disagreements")
    }

    func testFixTightensTheBaselineAndCommitsThroughThePreCommitHook() {
        let (repo, _) = generated(seed: 7, files: 40)
        let hook = runProcess(Paths.package.appendingPathComponent("install.sh").path, ["--hook", "pre-commit", repo.path],
                              in: repo.path)
        XCTAssertEqual(hook.status, 0, hook.output)
        let baselineBefore = repo.read(".ssot-baseline")!
        // --check and --diff write nothing and say there is work.
        let check = ssot(["fix", "--check"], in: repo.path)
        XCTAssertEqual(check.status, 1, check.output)
        let diff = ssot(["fix", "--diff"], in: repo.path)
        XCTAssertEqual(diff.status, 1, diff.output)
        XCTAssertTrue(diff.stdout.hasPrefix("--- a/pkg/app/"), diff.stdout)
        XCTAssertTrue(diff.stdout.contains("\n+from pkg.core.canonical import "), diff.stdout)
        XCTAssertEqual(repo.git(["status", "--porcelain"]).stdout, "")
        // The patch --diff printed is what fix writes.
        let patchDir = TempDir("ssot-fix-patch")
        let patch = patchDir.write("fix.patch", diff.stdout).path
        let applied = repo.git(["apply", "--check", patch])
        XCTAssertEqual(applied.status, 0, applied.output)

        let fix = ssot(["fix"], in: repo.path)
        XCTAssertEqual(fix.status, 0, fix.output)
        XCTAssertTrue(fix.stdout.contains("Tightened .ssot-baseline: "), fix.stdout)
        let after = repo.read(".ssot-baseline")!
        XCTAssertLessThan(after.count, baselineBefore.count)
        XCTAssertEqual(ssot(["fix", "--check"], in: repo.path).status, 0)
        let all = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(all.status, 0, all.output)

        repo.git(["add", "-A"])
        let commit = repo.git(["commit", "-m", "ssot fix"], environment: env)
        XCTAssertEqual(commit.status, 0, commit.output)
        XCTAssertEqual(repo.git(["show", "HEAD:.ssot-baseline"]).stdout, after)
        // Putting a fixed legacy import back is refused: the ratchet kept what the fix won.
        let file = repo.git(["diff", "--name-only", "HEAD~1", "HEAD", "--", "pkg/app"]).stdout
            .split(separator: "\n").first.map(String.init)!
        let fixed = repo.read(file)!
        repo.write(file, fixed + "from pkg.core.legacy_a import WSManager as Again\n")
        repo.git(["add", file])
        let back = repo.git(["commit", "-m", "regress"], environment: env)
        XCTAssertNotEqual(back.status, 0, back.output)
    }

    func testPathsLimitTheFilesAndTheBaselineEntriesTouched() {
        let (repo, _) = generated(seed: 5, files: 20)
        let fix = ssot(["fix", "pkg/app/mod1.py"], in: repo.path)
        XCTAssertEqual(fix.status, 0, fix.output)
        let changed = repo.git(["diff", "--name-only"]).stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(Set(changed).subtracting([".ssot-baseline"]), ["pkg/app/mod1.py"], fix.output)
        let baselineDiff = repo.git(["diff", "-U0", "--", ".ssot-baseline"]).stdout
            .split(separator: "\n").filter { $0.hasPrefix("-") && !$0.hasPrefix("---") }
        XCTAssertFalse(baselineDiff.isEmpty)
        XCTAssertTrue(baselineDiff.allSatisfy { $0.hasSuffix("") && $0.contains("pkg/app/mod1.py") }, "\(baselineDiff)")
        XCTAssertFalse(repo.git(["diff", "--", ".ssot-baseline"]).stdout.contains("\n+1"), "never grown")
    }

    func testFixNeverWritesThroughALinkOrOverAFileItCannotRead() throws {
        let (repo, _) = generated(seed: 3, files: 5)
        let outside = TempDir("ssot-fix-outside")
        outside.write("victim.py", "from pkg.core.legacy_a import Manager\n")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/pkg/app/linked.py", withDestinationPath: outside.path + "/victim.py")
        repo.write("pkg/app/latin.py", "# -*- coding: latin-1 -*-\nfrom pkg.core.legacy_a import Manager\nx = '\u{e9}'\n")
        repo.git(["add", "-A"])
        let fix = ssot(["fix"], in: repo.path)
        XCTAssertEqual(outside.read("victim.py"), "from pkg.core.legacy_a import Manager\n", fix.output)
        XCTAssertTrue(fix.stdout.contains("latin.py"), fix.output)
        XCTAssertTrue(repo.read("pkg/app/latin.py")!.contains("legacy_a"), "a Latin-1 file is not rewritten")
    }

    /// The machine's standard library, its Python files copied to a scratch
    /// repository, fixed under rules that ban modules the stdlib re-exports:
    /// every rewrite checked by CPython as on the generated trees.
    func testTheStandardLibraryFixedUnderReExportRulesAgreesWithCPython() throws {
        let stdlib = runProcess(Pythons.python3, ["-I", "-S", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let before = TempDir("ssot-fix-stdlib-before")
        let copy = runProcess(Pythons.python3, ["-I", "-S", "-c", """
            import os, shutil, sys
            src, dst = sys.argv[1], sys.argv[2]
            for d, dirs, files in os.walk(src):
                dirs[:] = [x for x in dirs if x not in ("site-packages", "lib-dynload", "__pycache__") and not x.startswith("config-")]
                for f in files:
                    if f.endswith(".py"):
                        rel = os.path.relpath(os.path.join(d, f), src)
                        os.makedirs(os.path.join(dst, os.path.dirname(rel)), exist_ok=True)
                        shutil.copyfile(os.path.join(d, f), os.path.join(dst, rel))
            """, stdlib, before.path])
        XCTAssertEqual(copy.status, 0, copy.output)
        let repo = GitRepo()
        XCTAssertEqual(runProcess("/bin/cp", ["-a", before.path + "/.", repo.path]).status, 0)
        try FileManager.default.copyItem(atPath: Paths.package.appendingPathComponent("Tests/EndToEndTests/Fixtures/fix_stdlib.toml").path,
                                         toPath: repo.path + "/ssot.toml")
        repo.git(["add", "-A"])
        XCTAssertEqual(ssot(["baseline"], in: repo.path).status, 0)
        repo.commitAll("the standard library")

        let fix = ssot(["fix"], in: repo.path)
        XCTAssertEqual(fix.status, 0, fix.output)
        let changed = repo.git(["diff", "--name-only", "--", "*.py"]).stdout.split(separator: "\n").map(String.init)
        XCTAssertFalse(changed.isEmpty, fix.stdout)
        XCTAssertTrue(fix.stdout.contains("different object"), "the io → _pyio names are other objects: \(fix.stdout)")
        let check = runProcess(Pythons.python3, ["-I", "-S", FixCommandTests.script, "check", before.path, repo.path,
                                                 "urllib.request", "urllib.parse,urllib.error"] + changed)
        XCTAssertEqual(check.status, 0, check.output)
        let report = try JSONDecoder().decode(RoundTrip.self, from: Data(check.stdout.utf8))
        XCTAssertEqual(report.disagreements, [])
        XCTAssertGreaterThan(report.rewrites, 0)
        // The whole copy parses as it did, and a second run changes nothing.
        let parses = """
            import ast, os, sys
            n = 0
            for d, dirs, fs in os.walk(sys.argv[1]):
                dirs[:] = [x for x in dirs if x != ".git"]
                for f in fs:
                    if f.endswith(".py"):
                        try:
                            ast.parse(open(os.path.join(d, f), "rb").read()); n += 1
                        except (SyntaxError, ValueError):
                            pass
            print(n)
            """
        let parsedBefore = runProcess(Pythons.python3, ["-I", "-S", "-c", parses, before.path]).stdout
        XCTAssertEqual(runProcess(Pythons.python3, ["-I", "-S", "-c", parses, repo.path]).stdout, parsedBefore)
        let status = repo.git(["status", "--porcelain"]).stdout
        XCTAssertEqual(ssot(["fix"], in: repo.path).status, 0)
        XCTAssertEqual(repo.git(["status", "--porcelain"]).stdout, status)
        let summary = fix.stdout.split(separator: "\n").filter { $0.hasPrefix("Fixed") || $0.hasPrefix("  ") }
        print("fix stdlib: \(changed.count) files rewritten, \(report.rewrites) rewrites, 0 disagreements; " + summary.joined(separator: "; "))
    }
}
