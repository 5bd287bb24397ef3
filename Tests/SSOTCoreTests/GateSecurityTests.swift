import SSOTCore
import XCTest

/// The gate's security rules decided in process, on in-memory trees and
/// configs, without git: loosening (SPEC 4, step 5), stale entries (step 2),
/// the audited bypass, and the server's own settings (SPEC 1.1).
final class GateSecurityTests: XCTestCase {
    static let configText = """
    baseline = ".ssot-baseline"
    exclude = ["migrations"]

    [[rule]]
    id = "legacy-import"
    kind = "import"
    canonical = "app.canonical"
    banned = ["app.legacy", "app.old.sub"]
    allow-in = ["app/legacy.py"]

    [[rule]]
    id = "legacy-singleton"
    kind = "singleton"
    banned = ["app.get_manager"]
    replacement = "app.make_manager(ctx)"

    """

    func config(_ extra: String = "", replacing: (String, String)? = nil) throws -> Config {
        var text = Self.configText
        if let (a, b) = replacing {
            XCTAssertTrue(text.contains(a), a)
            text = text.replacingOccurrences(of: a, with: b)
        }
        return try XCTUnwrap(Config.parse(extra + text, file: "ssot.toml"))
    }

    /// Checks the proposed file's text as the gate would.
    func changedFile(_ path: String, _ text: String, config: Config, oldPath: String? = nil, added: Bool = false) -> ChangedFile {
        let checker = FileChecker(config: config, thorough: true)
        let bytes = Array(text.utf8)
        let report = bytes.withUnsafeBufferPointer { checker.check(path: path, bytes: $0) }
        return ChangedFile(path: path, oldPath: oldPath, added: added, report: report)
    }

    let legacyKey = BaselineKey(path: "app/a.py", rule: "legacy-import", fingerprint: "from app.legacy import Manager")

    // MARK: loosening, one test per kind in SPEC 4 step 5

    func loosenings(_ after: Config?) throws -> [String] {
        ConfigLoosening.between(try config(), after)
    }

    func testAnUnchangedConfigDoesNotLoosen() throws {
        XCTAssertEqual(try loosenings(try config()), [])
    }

    func testRemovingTheConfigLoosens() throws {
        XCTAssertEqual(try loosenings(nil), ["the ssot config was removed (ssot.toml no longer configures ssot)"])
    }

    func testAnEmptyConfigRemovesEveryRule() throws {
        // An empty ssot.toml overrides pyproject.toml's rules.
        XCTAssertEqual(try loosenings(try XCTUnwrap(Config.parse("", file: "ssot.toml"))),
                       ["rule legacy-import removed", "rule legacy-singleton removed"])
    }

    func testEachLooseningIsNamed() throws {
        let cases: [(String, String, String)] = [
            ("id = \"legacy-import\"", "id = \"legacy-import-v2\"", "rule legacy-import removed"),
            ("kind = \"import\"\ncanonical", "kind = \"singleton\"\ncanonical", "rule legacy-import: kind changed from import to singleton"),
            ("banned = [\"app.legacy\", \"app.old.sub\"]", "banned = [\"app.legacy\"]", "rule legacy-import: banned name app.old.sub removed"),
            ("allow-in = [\"app/legacy.py\"]", "allow-in = [\"app/legacy.py\", \"app/evil.py\"]", "rule legacy-import: allow-in gained app/evil.py"),
            ("exclude = [\"migrations\"]", "exclude = [\"migrations\", \"app/evil.py\"]", "exclude gained app/evil.py"),
            ("baseline = \".ssot-baseline\"", "baseline = \"other-baseline\"", "baseline moved from .ssot-baseline to other-baseline"),
        ]
        for (a, b, expected) in cases {
            XCTAssertEqual(try loosenings(try config(replacing: (a, b))), [expected], b)
        }
        let keyed: [(String, String)] = [
            ("include = [\"**/*.py\"]\n", "include lost **/*.pyi"),
            ("source-roots = [\"src\"]\n", "source-roots changed from [\".\"] to [\"src\"]"),
            ("max-file-size = 1000\n", "max-file-size lowered from 1048576 to 1000"),
            ("type-checking = \"ignore\"\n", "type-checking turned to \"ignore\""),
            ("inline-ignores = true\n", "inline-ignores turned on"),
        ]
        for (extra, expected) in keyed {
            XCTAssertEqual(try loosenings(try config(extra)), [expected], extra)
        }
    }

    /// Found by the hostile review: `app.get_manager` → `app` in a singleton
    /// rule hid every call of `get_manager()`.
    func testASingletonsBannedNameIsNotCoveredByABroaderOne() throws {
        let broader = try config(replacing: ("banned = [\"app.get_manager\"]", "banned = [\"app\"]"))
        XCTAssertEqual(try loosenings(broader), ["rule legacy-singleton: banned name app.get_manager removed"])
    }

    func testTighteningAndOtherKeysAreNotLoosenings() throws {
        let tighter: [Config] = [
            try config("max-file-size = 4000000\ntighten = \"warn\"\n"),
            try config(replacing: ("banned = [\"app.legacy\", \"app.old.sub\"]", "banned = [\"app.legacy\", \"app.old.sub\", \"app.older\"]")),
            try config(replacing: ("banned = [\"app.legacy\", \"app.old.sub\"]", "banned = [\"app.legacy\", \"app.old\"]")),  // broader
            try config(replacing: ("allow-in = [\"app/legacy.py\"]", "allow-in = []")),
            try config(replacing: ("exclude = [\"migrations\"]", "exclude = [\"./migrations/\"]")),  // the same pattern
            try config(replacing: ("canonical = \"app.canonical\"", "canonical = \"app.canonical2\"")),
        ]
        for c in tighter { XCTAssertEqual(try loosenings(c), []) }
        var server = try config()
        server.server.bypassUsers = ["mallory"]
        XCTAssertEqual(try loosenings(server), [], "a [server] table is never honoured, so it loosens nothing")
        var added = try config()
        added.rules.append(Rule(id: "new-rule", kind: .import, banned: ["x"]))
        XCTAssertEqual(try loosenings(added), [])
    }

    // MARK: the gate's decision

    func input(_ files: [ChangedFile], parent: Baseline, proposed: Baseline? = nil, change: ConfigChange = .unchanged,
               bypass: Bool = false) throws -> ChangeInput {
        var i = ChangeInput(mode: .preReceive, config: try config(), parentBaseline: parent, proposedBaseline: proposed, files: files)
        i.configChange = change
        i.bypass = bypass
        return i
    }

    func testALoosenedConfigRejectsTheChange() throws {
        let looser = try config(replacing: ("exclude = [\"migrations\"]", "exclude = [\"migrations\", \"app/evil.py\"]"))
        let j = ChangeGate.judge(try input([], parent: Baseline(), change: .edited(before: try config(), after: looser)))
        XCTAssertEqual(j.verdict.loosened, ["exclude gained app/evil.py"])
        XCTAssertTrue(j.verdict.rejected)
    }

    func testAnUnreadableProposedConfigRejectsTheChange() throws {
        let j = ChangeGate.judge(try input([], parent: Baseline(), change: .unreadable("ssot.toml:1:1: invalid TOML")))
        XCTAssertEqual(j.verdict.loosened, ["the proposed config cannot be read: ssot.toml:1:1: invalid TOML"])
        XCTAssertTrue(j.verdict.rejected)
    }

    func testAStaleEntryAllowsNothingInAnAddedFile() throws {
        let c = try config()
        let file = changedFile("app/a.py", "from app.legacy import Manager\n", config: c, added: true)
        let j = ChangeGate.judge(try input([file], parent: Baseline(counts: [legacyKey: 1])))
        XCTAssertEqual(j.verdict.newCount, 1, "a file the change adds has no allowance, whatever the baseline says")
        XCTAssertTrue(j.verdict.rejected)
    }

    func testTheSameEntryAllowsAModifiedFile() throws {
        let c = try config()
        let file = changedFile("app/a.py", "x = 1\nfrom app.legacy import Manager\n", config: c)
        let j = ChangeGate.judge(try input([file], parent: Baseline(counts: [legacyKey: 1])))
        XCTAssertEqual(j.verdict.newCount, 0)
        XCTAssertFalse(j.verdict.rejected)
    }

    func testARenamedFileKeepsItsOldPathsAllowance() throws {
        let c = try config()
        let file = changedFile("app/b.py", "from app.legacy import Manager\n", config: c, oldPath: "app/a.py")
        let j = ChangeGate.judge(try input([file], parent: Baseline(counts: [legacyKey: 1])))
        XCTAssertEqual(j.verdict.newCount, 0)
    }

    func testGrowthRejectsWithoutABypassAndIsRecordedWithOne() throws {
        let c = try config()
        let file = changedFile("app/a.py", "from app.legacy import Manager\n", config: c, added: true)
        let pushed = Baseline(counts: [legacyKey: 1])
        let refused = ChangeGate.judge(try input([file], parent: Baseline(), proposed: pushed))
        XCTAssertEqual(refused.verdict.grown.map(\.key), [legacyKey])
        XCTAssertTrue(refused.verdict.rejected)

        let bypassed = ChangeGate.judge(try input([file], parent: Baseline(), proposed: pushed, bypass: true))
        XCTAssertFalse(bypassed.verdict.rejected, "the pushed baseline is the allowance, for an added file too")
        XCTAssertEqual(bypassed.bypassedGrowth.map(\.key), [legacyKey])
        XCTAssertTrue(bypassed.verdict.bypassed)
    }

    func testALooseningPassesOnlyThroughTheBypassAndIsRecorded() throws {
        let looser = try config(replacing: ("allow-in = [\"app/legacy.py\"]", "allow-in = [\"app/**\"]"))
        let j = ChangeGate.judge(try input([], parent: Baseline(), change: .edited(before: try config(), after: looser), bypass: true))
        XCTAssertFalse(j.verdict.rejected)
        XCTAssertEqual(j.bypassedLoosenings, ["rule legacy-import: allow-in gained app/**"])
    }

    // MARK: server settings

    func settings(_ git: [String: [String]], override: ServerConfig? = nil) throws -> ServerSettings {
        try ServerSettings(gitConfig: { git[$0] ?? [] }, override: override)
    }

    func testServerSettingsDefaults() throws {
        let s = try settings([:])
        XCTAssertTrue(s.gates("refs/heads/main"))
        XCTAssertFalse(s.gates("refs/notes/x"))
        XCTAssertEqual(s.bypassUsers, [])
        XCTAssertNil(s.auditLog)
        XCTAssertFalse(s.mayBypass("alice"))
        XCTAssertFalse(s.mayBypass(""))
        XCTAssertFalse(s.mayBypass(nil))
    }

    func testServerSettingsFromGitConfigAndTheOverrideKeyByKey() throws {
        var override = ServerConfig()
        override.auditLog = "/var/log/ssot.log"
        let s = try settings(["ssot.bypassUsers": ["alice", "bob, carol"], "ssot.auditLog": ["a.log"],
                              "ssot.defaultBranch": ["main"], "ssot.refs": ["refs/heads/main"]], override: override)
        XCTAssertEqual(s.bypassUsers, ["alice", "bob", "carol"])
        XCTAssertEqual(s.auditLog, "/var/log/ssot.log")
        XCTAssertEqual(s.defaultBranch, "refs/heads/main")
        XCTAssertTrue(s.gates("refs/heads/main"))
        XCTAssertFalse(s.gates("refs/heads/feature"))
    }

    func testABadRefGlobIsAProblem() {
        XCTAssertThrowsError(try settings(["ssot.refs": ["refs/heads/[x"]]))
    }

    func testThePushersNameComesFromTheServersVariableOnly() throws {
        let env = ["GL_USERNAME": "mallory", "SSOT_USER": "alice"]
        XCTAssertEqual(try settings([:]).user(in: env), "mallory", "the host's list, in order")
        XCTAssertEqual(try settings(["ssot.userVariable": ["SSOT_USER"]]).user(in: env), "alice")
        XCTAssertNil(try settings(["ssot.userVariable": ["GITHUB_USER_LOGIN"]]).user(in: env),
                     "with a variable named, no other stands in for it")
    }
}
