import SSOTReport
import XCTest
@testable import SSOTEngine

/// Each rewrite form of SPEC 8, as the file reads before and after.
final class FixRewriteTests: XCTestCase {
    let fixture = FixFixture()

    func assertFix(_ before: String, _ after: String, path: String = "app/routes/chat.py",
                   file: StaticString = #filePath, line: UInt = #line) {
        let once = fixture.fix(path, before)
        XCTAssertEqual(once.text, after, file: file, line: line)
        // A second run changes nothing.
        XCTAssertEqual(fixture.fix(path, once.text).text, once.text, "second run", file: file, line: line)
    }

    func testAStatementWhoseNamesAllMoveGetsTheCanonicalModule() {
        assertFix("from app.ws.manager import UnifiedWebSocketManager\nx = UnifiedWebSocketManager()\n",
                  "from app.ws.canonical import UnifiedWebSocketManager\nx = UnifiedWebSocketManager()\n")
    }

    func testAnAliasChainIsFollowedAndTheLocalNameKept() {
        // manager.WebSocketManager → websocket_manager.WebSocketManager → unified.UnifiedWebSocketManager,
        // which the canonical module binds as UnifiedWebSocketManager.
        assertFix("from app.ws.manager import WebSocketManager\n",
                  "from app.ws.canonical import UnifiedWebSocketManager as WebSocketManager\n")
        assertFix("from app.ws.websocket_manager import WebSocketManager as WSM\n",
                  "from app.ws.canonical import UnifiedWebSocketManager as WSM\n")
    }

    func testAnAliasTheCanonicalModuleBindsUnderTheLocalNameLosesItsAs() {
        assertFix("from app.ws.manager import Unified as UnifiedWebSocketManager\n",
                  "from app.ws.canonical import UnifiedWebSocketManager\n")
        assertFix("from app.ws.manager import Unified as U  # noqa: F401\n",
                  "from app.ws.canonical import UnifiedWebSocketManager as U  # noqa: F401\n")
    }

    func testMovedNamesLeaveAMixedStatementForANewOneRightAfter() {
        assertFix("""
            import os
            from app.ws.manager import UnifiedWebSocketManager, Connection  # keep
            print(os)

            """, """
            import os
            from app.ws.manager import Connection  # keep
            from app.ws.canonical import UnifiedWebSocketManager  # keep
            print(os)

            """)
    }

    func testMovedNamesJoinAnEarlierCanonicalImportOfTheSameBlock() {
        assertFix("""
            from app.ws.canonical import Connection
            from app.ws.manager import Connection as Old, WebSocketManager

            """, """
            from app.ws.canonical import Connection, UnifiedWebSocketManager as WebSocketManager
            from app.ws.manager import Connection as Old

            """)
    }

    func testALaterCanonicalImportIsNotJoined() {
        // Code between the two statements may use the name.
        assertFix("""
            from app.ws.manager import Connection, WebSocketManager
            x = WebSocketManager
            from app.ws.canonical import Connection as C

            """, """
            from app.ws.manager import Connection
            from app.ws.canonical import UnifiedWebSocketManager as WebSocketManager
            x = WebSocketManager
            from app.ws.canonical import Connection as C

            """)
    }

    func testParenthesesCommentsAndTrailingCommasStay() {
        assertFix("""
            from app.ws.manager import (
                UnifiedWebSocketManager,  # the one
                WebSocketManager,
            )

            """, """
            from app.ws.canonical import (
                UnifiedWebSocketManager,  # the one
                UnifiedWebSocketManager as WebSocketManager,
            )

            """)
        assertFix("""
            from app.ws.canonical import (
                Connection,
            )
            from app.ws.manager import (
                Connection as Legacy,
                UnifiedWebSocketManager,  # the one
                WebSocketManager,
            )

            """, """
            from app.ws.canonical import (
                Connection,
            )
            from app.ws.manager import (
                Connection as Legacy,
                # the one
            )
            from app.ws.canonical import UnifiedWebSocketManager, UnifiedWebSocketManager as WebSocketManager  # the one

            """)
        // Without comments on the moved names, they join the earlier statement, one a line.
        assertFix("""
            from app.ws.canonical import (
                Connection,
            )
            from app.ws.manager import (
                Connection as Legacy,
                UnifiedWebSocketManager,
                WebSocketManager,
            )

            """, """
            from app.ws.canonical import (
                Connection,
                UnifiedWebSocketManager,
                UnifiedWebSocketManager as WebSocketManager,
            )
            from app.ws.manager import (
                Connection as Legacy,
            )

            """)
    }

    func testFunctionLevelTypeCheckingAndRelativeImports() {
        assertFix("""
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from ..ws.manager import WebSocketManager, Connection

            def handler():
                    from app.ws.manager import UnifiedWebSocketManager; return UnifiedWebSocketManager

            """, """
            from typing import TYPE_CHECKING
            if TYPE_CHECKING:
                from ..ws.manager import Connection
                from app.ws.canonical import UnifiedWebSocketManager as WebSocketManager

            def handler():
                    from app.ws.canonical import UnifiedWebSocketManager; return UnifiedWebSocketManager

            """)
    }

    func testAStatementSharingItsLineGetsTheNewOneAfterASemicolon() {
        assertFix("import os; from app.ws.manager import Connection, UnifiedWebSocketManager; print(os)\n",
                  "import os; from app.ws.manager import Connection; from app.ws.canonical import UnifiedWebSocketManager; print(os)\n")
        assertFix("if True: from app.ws.manager import Connection, UnifiedWebSocketManager\n",
                  "if True: from app.ws.manager import Connection; from app.ws.canonical import UnifiedWebSocketManager\n")
    }

    func testBackslashContinuationsAndCRLFLineEnds() {
        assertFix("from app.ws.manager \\\n    import UnifiedWebSocketManager\n",
                  "from app.ws.canonical \\\n    import UnifiedWebSocketManager\n")
        assertFix("from app.ws.manager import Connection, WebSocketManager\r\nx = 1\r\n",
                  "from app.ws.manager import Connection\r\nfrom app.ws.canonical import UnifiedWebSocketManager as WebSocketManager\r\nx = 1\r\n")
    }

    func testTwoMixedStatementsOfOneBlockShareTheNewStatement() {
        assertFix("""
            from app.ws.manager import Connection, WebSocketManager
            from app.ws.websocket_manager import WebSocketManager as W2, Missing

            """, """
            from app.ws.manager import Connection
            from app.ws.canonical import UnifiedWebSocketManager as WebSocketManager, UnifiedWebSocketManager as W2
            from app.ws.websocket_manager import Missing

            """)
    }

    func testARewriteReachesTheCanonicalModuleThroughTheLegacyOne() {
        // canonical.py imports `Same` from the legacy module itself.
        assertFix("from app.ws.manager import Same\n", "from app.ws.canonical import Same\n")
    }

    func testAJoinNeverJumpsOverCodeBetweenTheStatements() {
        // `Manager = 5` between them: joining the earlier import would let the later binding win.
        assertFix("""
            from app.ws.canonical import Connection
            WebSocketManager = 5
            from app.ws.manager import WebSocketManager, Connection as Old

            """, """
            from app.ws.canonical import Connection
            WebSocketManager = 5
            from app.ws.manager import Connection as Old
            from app.ws.canonical import UnifiedWebSocketManager as WebSocketManager

            """)
        // Other from-imports between them that bind other names are no obstacle; one binding the name is.
        assertFix("""
            from app.ws.canonical import Connection
            from os import path
            from app.ws.manager import WebSocketManager, Connection as Old

            """, """
            from app.ws.canonical import Connection, UnifiedWebSocketManager as WebSocketManager
            from os import path
            from app.ws.manager import Connection as Old

            """)
        assertFix("""
            from app.ws.canonical import Connection
            from os import path as WebSocketManager
            from app.ws.manager import WebSocketManager, Connection as Old

            """, """
            from app.ws.canonical import Connection
            from os import path as WebSocketManager
            from app.ws.manager import Connection as Old
            from app.ws.canonical import UnifiedWebSocketManager as WebSocketManager

            """)
    }

    func testLazyImportsStayLazyAndExplicitReExportsStayExplicit() {
        assertFix("lazy from app.ws.manager import WebSocketManager, Connection\n",
                  "lazy from app.ws.manager import Connection\nlazy from app.ws.canonical import UnifiedWebSocketManager as WebSocketManager\n")
        assertFix("from app.ws.manager import UnifiedWebSocketManager as UnifiedWebSocketManager, Connection\n",
                  "from app.ws.manager import Connection\nfrom app.ws.canonical import UnifiedWebSocketManager as UnifiedWebSocketManager\n")
        assertFix("from app.ws.canonical import Connection\nlazy from app.ws.manager import WebSocketManager, Connection as C\n",
                  "from app.ws.canonical import Connection\nlazy from app.ws.manager import Connection as C\nlazy from app.ws.canonical import UnifiedWebSocketManager as WebSocketManager\n")
    }

    func testTheDiffIsAUnifiedDiff() {
        let before = "import os\nfrom app.ws.manager import Connection, WebSocketManager\nx = 1\n"
        let after = fixture.fix("app/routes/chat.py", before).text
        XCTAssertEqual(UnifiedDiff.render(path: "app/routes/chat.py", old: Array(before.utf8), new: Array(after.utf8)), """
            --- a/app/routes/chat.py
            +++ b/app/routes/chat.py
            @@ -1,3 +1,4 @@
             import os
            -from app.ws.manager import Connection, WebSocketManager
            +from app.ws.manager import Connection
            +from app.ws.canonical import UnifiedWebSocketManager as WebSocketManager
             x = 1

            """)
    }
}

/// `--unsafe-fixes` (SPEC 8): a singleton call becomes its replacement only
/// where the enclosing function binds every name the replacement passes.
final class FixSingletonTests: XCTestCase {
    var fixture: FixFixture = {
        var f = FixFixture()
        f.unsafeFixes = true
        return f
    }()

    func testACallInAFunctionThatBindsTheContextIsRewrittenAndItsImportAdded() {
        let out = fixture.fix("app/routes/chat.py", """
            import os
            from app.ws import get_manager


            def handler(request, ctx):
                manager = get_manager()
                return manager


            def other():
                ctx = object()
                return get_manager( ).send()

            """)
        XCTAssertEqual(out.text, """
            import os
            from app.ws import get_manager, create_manager


            def handler(request, ctx):
                manager = create_manager(ctx)
                return manager


            def other():
                ctx = object()
                return create_manager(ctx).send()

            """)
        XCTAssertEqual(out.decisions, ["2:20": "singleton use", "6:15": "fixed", "12:12": "fixed"])
    }

    func testWhereTheContextIsNotBoundOrTheUseIsNoCallNothingChanges() {
        let source = """
            from app.ws import get_manager
            from fastapi import Depends
            m = get_manager()


            def a():
                return get_manager()


            def b(ctx, dep=Depends(get_manager)):
                return get_manager(ctx)


            def c(ctx):
                create_manager = None
                return get_manager()

            """
        let out = fixture.fix("app/routes/chat.py", source)
        XCTAssertEqual(out.text, source)
        let details = out.fix.decisions.filter { $0.finding.fingerprint.hasPrefix("use") }.map(\.detail)
        XCTAssertEqual(details.map { String($0.prefix(while: { $0 != ";" })) }, [
            "not rewritten: not inside a function, where a user context could be bound",
            "not rewritten: the enclosing function does not surely bind ctx there",
            "not rewritten: not a plain call `name()`",
            "not rewritten: a call with arguments",
            "not rewritten: the enclosing function binds create_manager itself",
        ])
    }

    func testTheContextMustBeSurelyBoundInTheBodyAtTheCall() {
        // Each of these would raise, or pass another ctx, if rewritten.
        for body in [
            "def b(ctx, m=get_manager()):\n    return m\n",                        // a default runs at definition time
            "def b(ctx):\n    del ctx\n    return get_manager()\n",
            "def b():\n    try:\n        pass\n    except ValueError as ctx:\n        pass\n    return get_manager()\n",
            "def b():\n    x = get_manager()\n    ctx = 1\n    return x\n",
            "def b():\n    if False:\n        ctx = 1\n    return get_manager()\n",
            "def b(ctx):\n    return [get_manager() for ctx in ['other']]\n",
            "def b(ctx):\n    return lambda ctx: get_manager()\n",
            "def b():\n    ctx = get_manager()\n    return ctx\n",
        ] {
            let source = "from app.ws import get_manager\nctx = 'module'\n\n\n" + body
            XCTAssertEqual(fixture.fix("app/routes/chat.py", source).text, source, body)
        }
        let ok = "from app.ws import get_manager\n\n\ndef b():\n    ctx = 1\n    for i in ():\n        pass\n    return get_manager()\n"
        XCTAssertTrue(fixture.fix("app/routes/chat.py", ok).text.contains("return create_manager(ctx)"))
    }

    func testWithoutTheFlagSingletonCallsAreOnlyListed() {
        fixture.unsafeFixes = false
        let source = "from app.ws import get_manager\n\n\ndef f(ctx):\n    return get_manager()\n"
        XCTAssertEqual(fixture.fix("app/routes/chat.py", source).text, source)
    }
}
