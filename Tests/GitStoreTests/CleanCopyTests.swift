import Foundation
import GitStore
import TestSupport
import XCTest

/// `Repository.cleanCopy`: the working-tree file opened only when git's
/// stat data proves it is the blob, and what was read from it trusted only
/// while that still holds (a gate reads and splits the baseline on another
/// thread, then asks).
final class CleanCopyTests: XCTestCase {
    func testACleanCopyIsTheBlobUntilTheFileChanges() throws {
        let repo = GitRepo()
        repo.write("base.txt", "1\tr\ta.py\timport a\n")
        repo.commitAll("base")
        // An index whose stat data is not racily clean: the file is older than the index written next.
        var past = [timespec(tv_sec: time(nil) - 10, tv_nsec: 0), timespec(tv_sec: time(nil) - 10, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, repo.path + "/base.txt", &past, 0), 0)
        repo.git(["update-index", "--really-refresh"])
        let repository = try Repository.open(at: repo.path, environment: [:])
        let index = try repository.indexFile()
        let oid = try repository.tree(ofRevision: "HEAD").entry("base.txt")!.oid
        let copy = try XCTUnwrap(try repository.cleanCopy(of: "base.txt", oid: oid, index: index))
        XCTAssertEqual(copy.read(), Array("1\tr\ta.py\timport a\n".utf8))
        XCTAssertTrue(copy.isUnchanged())
        // Rewritten in place with other bytes of the same size: no longer trusted.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: repo.path + "/base.txt"))
        handle.write(Data("2".utf8))
        try handle.close()
        XCTAssertFalse(copy.isUnchanged())
        // Truncated under the reader: a short read, not a crash (a mapping would raise SIGBUS).
        XCTAssertEqual(truncate(repo.path + "/base.txt", 0), 0)
        XCTAssertNil(copy.read())
        // And a file that differs from the index is never opened.
        XCTAssertNil(try repository.cleanCopy(of: "base.txt", oid: oid, index: try repository.indexFile()))
    }
}

/// PathKey (issue 11, item 11): distinct path bytes, distinct keys, and back.
final class PathKeyTests: XCTestCase {
    func testKeysAreDistinctAndRoundTrip() {
        let paths: [[UInt8]] = [Array("a/b.py".utf8), [0x78, 0xFF] + Array(".py".utf8), [0x78, 0xFE] + Array(".py".utf8),
                                Array("x\\377.py".utf8), Array("x\\\\.py".utf8), Array("é/ü.py".utf8),
                                [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80, 0x80], [0x5C],
                                [0xC3, 0xA9] + Array(".py".utf8), [0x65, 0xCC, 0x81] + Array(".py".utf8)]
        let keys = paths.map { PathKey.key($0) }
        XCTAssertEqual(Set(keys).count, paths.count, "\(keys)")
        for (p, k) in zip(paths, keys) { XCTAssertEqual(PathKey.bytes(k), p, k) }
        XCTAssertEqual(keys[0], "a/b.py")
        XCTAssertEqual(keys[1], "x\u{0}377.py")
        XCTAssertEqual(keys[3], "x\\377.py", "every UTF-8 path is its own key")
        XCTAssertEqual(keys[5], "é/ü.py")
        XCTAssertEqual(keys[7], "\u{0}355\u{0}240\u{0}200", "a surrogate's bytes are not UTF-8")
        XCTAssertEqual(Array(keys[11].utf8), [0xC3, 0xA9] + Array(".py".utf8))
        XCTAssertEqual(keys[12], "e\u{0}314\u{0}201.py", "not NFC: Swift would take it for keys[11]")
    }
}
