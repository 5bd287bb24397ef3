import GitStore
import TestSupport
import XCTest

/// `Repository.changes(from:to: IndexFile)` reads the index itself and skips
/// folders by their cache-tree id. It must list what git lists: each case is
/// compared with `git diff --cached -M --name-status`, across index formats
/// 2, 3 and 4, with the cache-tree valid, partly valid, and invalid.
final class StagedDiffTests: XCTestCase {
    /// The base tree: nested folders, most of which no case touches, and
    /// names that test git's ordering ("a.py" < "a/" < "a0.py").
    func baseRepository() -> GitRepo {
        let repo = GitRepo()
        var files: [String: String] = [
            "a.py": "x = 1\n", "a-b.py": "x = 2\n", "a0.py": "x = 3\n", "a/b.py": "x = 4\n",
            "pkg/one.py": body("one"), "pkg/sub/two.py": body("two"), "pkg/sub/deep/three.py": body("three"),
            "pkg/move.py": body("move"), "pkg/edit-move.py": body("edit-move"), "pkg/mode.py": body("mode"),
            "pkg/typed.py": body("typed"), "gone/g.py": body("g"), "gone/h/i.py": body("i"),
            "d/x.py": body("dx"), "f": "file\n", "ü/ö y.py": body("umlaut"),
        ]
        for n in 0..<30 { files["quiet/p\(n)/m\(n).py"] = body("quiet \(n)") }
        for (path, text) in files { repo.write(path, text) }
        repo.commitAll("base")
        return repo
    }

    func body(_ seed: String) -> String {
        (0..<20).map { "value_\($0) = '\(seed) line \($0) of a file long enough to be similar'\n" }.joined()
    }

    /// Every kind of change at once.
    func change(_ repo: GitRepo) throws {
        repo.write("pkg/one.py", body("one") + "y = 2\n")
        repo.write("pkg/sub/deep/new.py", "n = 1\n")
        repo.write("new/dir/n.py", "n = 2\n")
        repo.git(["rm", "-q", "-r", "gone", "d/x.py", "f"])
        repo.write("d", "now a file\n")
        repo.write("f/y.py", "now a folder\n")
        // An exact rename, and a rename with an edit, into another folder.
        repo.git(["mv", "pkg/move.py", "pkg/moved.py"])
        try FileManager.default.removeItem(atPath: repo.path + "/pkg/edit-move.py")
        repo.write("other/edited.py", body("edit-move") + "extra = 1\n")
        repo.git(["update-index", "--chmod=+x", "pkg/mode.py"])
        try FileManager.default.removeItem(atPath: repo.path + "/pkg/typed.py")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/pkg/typed.py", withDestinationPath: "one.py")
        repo.write("a0.py", "x = 30\n")
        repo.write("a/b.py", "x = 40\n")
        repo.write("ü/ö y.py", body("umlaut") + "z = 1\n")
        repo.git(["add", "-A"])
    }

    /// What git says, as "STATUS\told\tnew" lines: of the staged change, or
    /// between two commits.
    func gitSays(_ repo: GitRepo, _ commits: [String] = ["--cached"]) -> Set<String> {
        let out = repo.git(["-c", "core.quotePath=false", "diff", "-M50%", "--name-status", "-z"] + commits).stdout
        var fields = out.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        var result = Set<String>()
        while let status = fields.first, !status.isEmpty {
            fields.removeFirst()
            let letter = String(status.prefix(1))
            if letter == "R" || letter == "C" {
                result.insert("\(letter)\t\(fields[0])\t\(fields[1])")
                fields.removeFirst(2)
            } else {
                result.insert("\(letter)\t\(fields[0])\t\(fields[0])")
                fields.removeFirst()
            }
        }
        return result
    }

    func ssotSays(_ repo: GitRepo) throws -> Set<String> {
        let repository = try Repository.open(at: repo.path, environment: [:])
        let changes = try repository.changes(from: try repository.headTree(), to: try repository.indexFile())
        return Set(changes.map(describe))
    }

    func assertSameAsGit(_ repo: GitRepo, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = gitSays(repo)
        XCTAssertFalse(expected.isEmpty, label, file: file, line: line)
        XCTAssertEqual(try ssotSays(repo), expected, label, file: file, line: line)
    }

    /// The tree-to-tree walk (pushes, `--range`) against `git diff -M A B`.
    /// A conflicted file has entries at stages 1 to 3 only: git tracks it, and
    /// the working-tree modes must not take it for an added file.
    func testAConflictedFileIsTrackedWithoutAStageZeroEntry() throws {
        let repo = GitRepo()
        repo.write("a.py", "x = 1\n")
        repo.commitAll("base")
        repo.git(["checkout", "-q", "-b", "other"])
        repo.write("a.py", "x = 2\n")
        repo.commitAll("other")
        repo.git(["checkout", "-q", "main"])
        repo.write("a.py", "x = 3\n")
        repo.commitAll("main")
        XCTAssertNotEqual(repo.git(["merge", "-q", "other"]).status, 0, "the merge conflicts")
        let index = try Repository.open(at: repo.path, environment: [:]).indexFile()
        XCTAssertTrue(index.tracks("a.py"))
        XCTAssertNil(index.entry("a.py"), "no stage-0 entry while it conflicts")
        XCTAssertFalse(index.tracks("b.py"))
        XCTAssertFalse(index.tracks("a.p"), "a prefix is not the path")
    }

    func testTreeToTreeMatchesGit() throws {
        let repo = baseRepository()
        try change(repo)
        repo.git(["commit", "-q", "--no-verify", "-m", "every kind of change"])
        let expected = gitSays(repo, ["HEAD~", "HEAD"])
        XCTAssertEqual(Set(expected.map { $0.prefix(1) }), ["A", "D", "M", "R", "T"])
        let repository = try Repository.open(at: repo.path, environment: [:])
        let got = try repository.changes(from: try repository.tree(ofRevision: "HEAD~"), to: try repository.tree(ofRevision: "HEAD"))
        XCTAssertEqual(Set(got.map(describe)), expected)
        // The empty tree on the old side: every file added; the same tree: nothing.
        let head = try repository.tree(ofRevision: "HEAD")
        let all = try repository.changes(from: nil, to: head)
        XCTAssertEqual(all.count, repo.git(["ls-tree", "-r", "--name-only", "HEAD"]).stdout.split(separator: "\n").count)
        XCTAssertTrue(all.allSatisfy { $0.status == .added })
        XCTAssertTrue(try repository.changes(from: head, to: head).isEmpty)
    }

    /// A change spread over more folders than `Repository.shareAbove`: the
    /// walk below them is shared among two handles, and must list what git
    /// lists, and what one handle alone lists, renames across the share
    /// included.
    func testAWideChangeSharedAmongHandlesMatchesGit() throws {
        let repo = baseRepository()
        for n in 0..<20 { repo.write("more/q\(n)/deep/m.py", body("more \(n)")) }
        repo.commitAll("more folders")
        for n in 0..<30 { repo.write("quiet/p\(n)/m\(n).py", body("quiet \(n)") + "edited = \(n)\n") }
        for n in 0..<10 { repo.git(["mv", "more/q\(n)/deep/m.py", "quiet/p\(n)/moved\(n).py"]) }
        repo.git(["rm", "-q", "-r", "more/q19", "gone"])
        for n in 0..<5 { repo.write("added/a\(n)/b/c.py", "c = \(n)\n") }
        repo.git(["rm", "-q", "-r", "d/x.py"])
        repo.write("d", "now a file\n")
        repo.git(["add", "-A"])
        repo.git(["commit", "-q", "--no-verify", "-m", "wide"])
        let expected = gitSays(repo, ["HEAD~", "HEAD"])
        XCTAssertEqual(Set(expected.map { $0.prefix(1) }), ["A", "D", "M", "R"])
        let repository = try Repository.open(at: repo.path, environment: [:])
        let old = try repository.tree(ofRevision: "HEAD~"), new = try repository.tree(ofRevision: "HEAD")
        var asked = 0
        let shared = try repository.changes(from: old, to: new, helpers: {
            asked += 1
            return [repository, try! repository.sibling()]
        })
        XCTAssertEqual(asked, 1, "the walk found enough folders to share")
        XCTAssertEqual(Set(shared.map(describe)), expected)
        XCTAssertEqual(shared, try repository.changes(from: old, to: new), "one handle lists the same, in the same order")
        XCTAssertEqual(try repository.changes(from: nil, to: new, helpers: { [repository, try! repository.sibling()] }),
                       try repository.changes(from: nil, to: new), "every file added, shared or not")
    }

    /// A folder that cannot be read on a helper's thread is an error of the
    /// whole diff, as it is on one handle, never a shorter list.
    func testAMissingFolderInASharedWalkIsAnError() throws {
        let repo = baseRepository()
        for n in 0..<40 { repo.write("wide/w\(n)/m.py", body("wide \(n)")) }
        repo.commitAll("wide")
        for n in 0..<40 { repo.write("wide/w\(n)/m.py", body("wide \(n)") + "edited = \(n)\n") }
        repo.commitAll("edited")
        for n in [3, 38] {
            let id = repo.git(["rev-parse", "HEAD:wide/w\(n)"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try FileManager.default.removeItem(atPath: "\(repo.path)/.git/objects/\(id.prefix(2))/\(id.dropFirst(2))")
        }
        let repository = try Repository.open(at: repo.path, environment: [:])
        let old = try repository.tree(ofRevision: "HEAD~"), new = try repository.tree(ofRevision: "HEAD")
        var asked = 0
        XCTAssertThrowsError(try repository.changes(from: old, to: new, helpers: {
            asked += 1
            return [repository, try! repository.sibling()]
        }))
        XCTAssertEqual(asked, 1, "the walk was shared")
        XCTAssertThrowsError(try repository.changes(from: old, to: new))
    }

    func describe(_ c: FileChange) -> String {
        let letter: String
        switch c.status {
        case .added: letter = "A"
        case .deleted: letter = "D"
        case .modified: letter = "M"
        case .renamed: letter = "R"
        case .copied: letter = "C"
        case .typeChanged: letter = "T"
        }
        let old = c.status == .added ? c.newPath : c.oldPath
        let new = c.status == .deleted ? c.oldPath : c.newPath
        return "\(letter)\t\(old)\t\(new)"
    }

    /// Without a path both deleted and added no rename is possible, and the
    /// deltas are made without libgit2's diff (`Repository.direct`).
    func testEditsTypeChangesAndAdditionsWithoutRenamesMatchGit() throws {
        let repo = baseRepository()
        repo.write("pkg/one.py", "edited = 1\n")
        repo.write("quiet/p7/m7.py", "edited = 7\n")
        repo.write("brand/new.py", "new = 1\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.path + "/pkg/mode.py")
        try FileManager.default.removeItem(atPath: repo.path + "/pkg/typed.py")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/pkg/typed.py", withDestinationPath: "one.py")
        repo.git(["add", "-A"])
        try assertSameAsGit(repo, "edits, a mode change, a type change, an addition")
        XCTAssertEqual(Set(gitSays(repo).map { $0.prefix(1) }), ["A", "M", "T"])
        repo.git(["commit", "-q", "--no-verify", "-m", "edits"])
        let repository = try Repository.open(at: repo.path, environment: [:])
        let got = try repository.changes(from: try repository.tree(ofRevision: "HEAD~"), to: try repository.tree(ofRevision: "HEAD"))
        XCTAssertEqual(got.map(describe), ["A\tbrand/new.py\tbrand/new.py", "M\tpkg/mode.py\tpkg/mode.py", "M\tpkg/one.py\tpkg/one.py",
                                           "T\tpkg/typed.py\tpkg/typed.py", "M\tquiet/p7/m7.py\tquiet/p7/m7.py"], "sorted by path, as libgit2's")
        repo.git(["rm", "-q", "pkg/one.py", "quiet/p7/m7.py"])
        try assertSameAsGit(repo, "deletions only")
    }

    func testEveryKindOfChangeInEveryIndexFormat() throws {
        for version in ["2", "3", "4"] {
            let repo = baseRepository()
            try change(repo)
            repo.git(["update-index", "--index-version", version])
            try assertSameAsGit(repo, "index format \(version), cache-tree valid except along the change")
            let statuses = Set(gitSays(repo).map { $0.prefix(1) })
            XCTAssertEqual(statuses, ["A", "D", "M", "R", "T"], "the case covers every status")
            XCTAssertTrue(gitSays(repo).contains("R\tpkg/edit-move.py\tother/edited.py"))
        }
    }

    func testACacheTreeThatIsFullyValidAsGitCommitLeavesIt() throws {
        let repo = baseRepository()
        try change(repo)
        // What `git commit` does before its hook runs: every folder's tree id recorded.
        let tree = repo.git(["write-tree"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(tree.isEmpty)
        try assertSameAsGit(repo, "fully valid cache-tree")
    }

    func testNoCacheTreeAtAll() throws {
        let repo = baseRepository()
        // Removing and re-adding every path invalidates every folder's record.
        repo.git(["rm", "-q", "-r", "--cached", "."])
        repo.git(["add", "-A"])
        XCTAssertTrue(try ssotSays(repo).isEmpty, "the same entries again: no change")
        try change(repo)
        try assertSameAsGit(repo, "cache-tree invalid everywhere")
        repo.git(["update-index", "--index-version", "4"])
        try assertSameAsGit(repo, "format 4, cache-tree invalid everywhere")
    }

    func testNothingStagedReadsNoFolder() throws {
        let repo = baseRepository()
        XCTAssertTrue(try ssotSays(repo).isEmpty)
        repo.write("quiet/p3/m3.py", "changed = 1\n")
        XCTAssertTrue(try ssotSays(repo).isEmpty, "a working-tree edit is not staged")
        repo.git(["add", "quiet/p3/m3.py"])
        XCTAssertEqual(try ssotSays(repo), ["M\tquiet/p3/m3.py\tquiet/p3/m3.py"])
    }

    func testUnbornBranchListsEveryEntryAsAdded() throws {
        let repo = GitRepo()
        repo.write("a/b.py", "x = 1\n")
        repo.write("c.py", "x = 2\n")
        repo.git(["add", "-A"])
        let repository = try Repository.open(at: repo.path, environment: [:])
        XCTAssertNil(try repository.headTree())
        let changes = try repository.changes(from: nil, to: try repository.indexFile())
        XCTAssertEqual(Set(changes.map(\.newPath)), ["a/b.py", "c.py"])
        XCTAssertTrue(changes.allSatisfy { $0.status == .added })
    }

    func testAConflictIsLeftOutAsLibgit2LeavesItOut() throws {
        let repo = baseRepository()
        repo.git(["checkout", "-q", "-b", "side"])
        repo.write("pkg/one.py", "side = 1\n")
        repo.commitAll("side")
        repo.git(["checkout", "-q", "main"])
        repo.write("pkg/one.py", "main = 1\n")
        repo.write("pkg/clean.py", "clean = 1\n")
        repo.commitAll("main")
        repo.git(["merge", "-q", "side"])
        let entries = try Repository.open(at: repo.path, environment: [:]).indexEntries()
        XCTAssertEqual(entries.filter { $0.path == "pkg/one.py" }.map(\.stage), [1, 2, 3])
        XCTAssertTrue(try ssotSays(repo).isEmpty)
    }

    func testIndexEntriesMatchGitLsFiles() throws {
        for version in ["2", "4"] {
            let repo = baseRepository()
            try change(repo)
            repo.write("ita.py", "x = 1\n")
            repo.git(["add", "-N", "ita.py"])
            repo.git(["update-index", "--index-version", version])
            let entries = try Repository.open(at: repo.path, environment: [:]).indexEntries()
            let listed = repo.git(["-c", "core.quotePath=false", "ls-files", "-s", "-z"]).stdout
                .split(separator: "\0").map(String.init)
            XCTAssertEqual(entries.map { "\(String($0.mode, radix: 8)) \($0.oid) \($0.stage)\t\($0.path)" }, listed, "format \(version)")
            XCTAssertEqual(entries.filter(\.intentToAdd).map(\.path), ["ita.py"])
            let index = try Repository.open(at: repo.path, environment: [:]).indexFile()
            XCTAssertEqual(index.entry("pkg/one.py")?.kind, .file)
            XCTAssertEqual(index.entry("pkg/typed.py")?.kind, .symlink)
            XCTAssertNil(index.entry("pkg"))
            XCTAssertNil(index.entry("zzz.py"))
        }
    }

    func testABrokenIndexIsAnErrorThatNamesTheFile() throws {
        let repo = baseRepository()
        let path = repo.path + "/.git/index"
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
        let cases: [(Data, String)] = [
            (bytes.prefix(200), "entries run past the end of the file"),
            (Data("JUNK".utf8) + bytes.dropFirst(4), "no DIRC signature"),
            (Data(repeating: 0, count: 10), "too short"),
        ]
        for (data, message) in cases {
            try data.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Repository.open(at: repo.path, environment: [:]).indexFile()) { error in
                XCTAssertTrue("\(error)".contains(message) && "\(error)".contains(path), "\(error)")
            }
        }
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(try Repository.open(at: repo.path, environment: [:]).indexFile().count, 0, "no index: an empty one, as in git")
    }
}

/// Damaged index files: every one gives an answer or an error, never a
/// crash or a hang (a crash would end this test process).
final class IndexFileFuzzTests: XCTestCase {
    func testDamagedIndexesNeverCrash() throws {
        let repo = GitRepo()
        for n in 0..<40 { repo.write("d\(n % 5)/s\(n % 3)/f\(n).py", "x = \(n)\n") }
        repo.commitAll("base")
        repo.write("d1/new.py", "y = 1\n")
        repo.git(["add", "-A"])
        let repository = try Repository.open(at: repo.path, environment: [:])
        let head = try repository.headTree()
        let path = repo.path + "/.git/index"
        var rng = SystemRandomNumberGenerator()
        var outcomes = (read: 0, refused: 0)
        for version in ["2", "4"] {
            repo.git(["update-index", "--index-version", version])
            let original = try XCTUnwrap(FileManager.default.contents(atPath: path))
            for round in 0..<300 {
                var bytes = [UInt8](original)
                switch round % 3 {
                case 0:
                    bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
                case 1:
                    for _ in 0..<Int.random(in: 1...8, using: &rng) {
                        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                default:
                    // Past the header, where the counts and lengths are.
                    let at = Int.random(in: 8..<bytes.count, using: &rng)
                    bytes[at] = [0x00, 0xFF, 0x7F, 0x2F, 0x2D][Int.random(in: 0..<5, using: &rng)]
                }
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                do {
                    let index = try repository.indexFile()
                    _ = index.entries()
                    _ = index.entry("d1/new.py")
                    _ = try repository.changes(from: head, to: index)
                    outcomes.read += 1
                } catch {
                    outcomes.refused += 1
                }
            }
            try original.write(to: URL(fileURLWithPath: path))
        }
        XCTAssertGreaterThan(outcomes.refused, 0)
        XCTAssertGreaterThan(outcomes.read, 0, "some damage (a flipped id byte) still reads")
    }

    /// An index written by hand, its entries out of order: an error, not a
    /// crash in the folder walk.
    func testAnUnsortedIndexIsAnError() throws {
        let repo = GitRepo()
        repo.write("d1/a.py", "a = 1\n")
        repo.write("d1/c.py", "c = 1\n")
        repo.commitAll("base")
        func entry(_ path: String) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: 62)
            bytes[24...27] = [0x00, 0x00, 0x81, 0xA4]  // mode 100644
            bytes[40] = 0xAB  // an id no tree has, so the folder is walked
            let name = Array(path.utf8)
            bytes[60] = UInt8(name.count >> 8)
            bytes[61] = UInt8(name.count & 0xFF)
            bytes += name
            bytes += [UInt8](repeating: 0, count: ((62 + name.count + 8) & ~7) - 62 - name.count)
            return bytes
        }
        var index = Array("DIRC".utf8) + [0, 0, 0, 2, 0, 0, 0, 3]
        index += entry("d1/a.py") + entry("x") + entry("d1/c.py")
        index += [UInt8](repeating: 0, count: 20)
        let path = repo.path + "/.git/index"
        try Data(index).write(to: URL(fileURLWithPath: path))
        let repository = try Repository.open(at: repo.path, environment: [:])
        XCTAssertThrowsError(try repository.changes(from: try repository.headTree(), to: try repository.indexFile())) { error in
            XCTAssertTrue("\(error)".contains("not sorted"), "\(error)")
        }
    }
}
