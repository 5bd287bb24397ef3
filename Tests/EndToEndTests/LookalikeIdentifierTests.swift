import Foundation
import TestSupport
import XCTest

/// Issue 11, item 1: a lookalike spelling of a banned name, which CPython
/// normalises with NFKC and runs, is refused by the gate like the ASCII one.
extension PreCommitTests {
    func testFullwidthLookalikesAreRefused() {
        let text = "from app import ｇet_manager\nｇet_manager()\nimport app.ｌegacy\n"
        repo.write("app/look.py", text)
        // What CPython sees: the ASCII names.
        let seen = runProcess(Pythons.python3, ["-c", "import ast,sys; t=ast.parse(open(sys.argv[1],encoding='utf-8').read());"
            + " print(t.body[0].names[0].name, t.body[1].value.func.id, t.body[2].names[0].name)", repo.path + "/app/look.py"])
        XCTAssertEqual(seen.stdout, "get_manager get_manager app.legacy\n", seen.stderr)
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/look.py:1:17: legacy-singleton", "app/look.py:2:1: legacy-singleton",
                                  "app/look.py:3:8: legacy-import", "use app.get_manager", "import app.legacy"])
        // `--all` (with its prefilter) finds the same.
        let all = ssot(["check", "--no-baseline", "app/look.py"], in: repo.path)
        XCTAssertEqual(all.status, 1)
        XCTAssertTrue(all.stdout.contains("Found 3 new findings"), all.stdout)
    }
}
