import CLibGit2
import Foundation
@testable import GitStore
import TestSupport
import XCTest

/// `TreeMemo`: a history walk that keeps the folders it read lists exactly
/// what a walk reading every folder again lists, step by step, and keeps no
/// more folders than the tree it stands on has.
final class TreeMemoTests: XCTestCase {
    func testAWalkWithTheMemoListsWhatOneWithoutItLists() throws {
        try walk(TreeMemo())
    }

    /// A memo at its bound starts over between steps, never in the middle of
    /// one, where it would free a folder the step is still comparing (a
    /// review's find: a history of 70,001 folders counted 1 finding where
    /// there were none). Bounded by folders and by their entries.
    func testAMemoAtItsBoundFreesNoFolderAStepStillReads() throws {
        for bound in [1, 2, 3, 5] { try walk(TreeMemo(bound: bound)) }
        for entries in [1, 2, 4, 7] { try walk(TreeMemo(entryBound: entries)) }
    }

    func walk(_ memo: TreeMemo) throws {
        let repo = GitRepo()
        // Twin folders with equal ids, nested folders, a file that becomes a folder and back.
        for p in ["twin/a/m.py", "twin/b/m.py", "deep/x/y/z.py", "flip", "keep/k.py"] { repo.write(p, "v = 0\n") }
        let first = repo.commitAll("base")
        let steps: [(GitRepo) throws -> Void] = [
            { $0.write("twin/a/m.py", "v = 1\n") },                      // one twin changes: the other keeps its id
            { $0.write("twin/b/m.py", "v = 1\n") },                      // twins equal again
            { r in r.git(["rm", "-q", "flip"]); r.write("flip/now.py", "f = 1\n") },
            { $0.write("deep/x/y/z.py", "v = 2\n"); $0.write("deep/x/w.py", "w = 1\n") },
            { r in r.git(["rm", "-q", "-r", "deep"]) },
            { r in r.git(["rm", "-q", "-r", "flip"]); r.write("flip", "a file again\n") },
            { r in r.git(["read-tree", "-u", "--reset", first]) },      // the first tree again: old ids come back
            { $0.write("keep/k.py", "v = 3\n"); $0.write("twin/a/m.py", "v = 3\n") },
        ]
        var commits = [first]
        for step in steps {
            try step(repo)
            commits.append(repo.commitAll("step"))
        }
        let repository = try Repository.open(at: repo.path, environment: [:])
        var previous: Tree?
        for commit in commits {
            let tree = try repository.tree(ofRevision: commit)
            let plain = try repository.pathChanges(from: previous, to: tree)
            let kept = try repository.pathChanges(from: previous, to: tree, memo: memo)
            XCTAssertEqual(describe(kept), describe(plain), "at \(commit)")
            let folders = repo.git(["ls-tree", "-r", "-d", commit]).stdout.split(separator: "\n").count
            XCTAssertLessThanOrEqual(memo.count, max(folders, memo.bound), "the memo holds only the current tree's folders")
            XCTAssertLessThanOrEqual(memo.entryCount, memo.entryBound, "the memo starts over past its entries' bound")
            previous = tree
        }
        memo.clear()
        XCTAssertEqual(memo.count, 0)
    }

    func describe(_ changes: [FileChange]) -> [String] {
        changes.map { "\($0.status) \($0.oldPath) \($0.newPath) \($0.oldOID) \($0.newOID) \($0.oldMode) \($0.newMode)" }.sorted()
    }
}
