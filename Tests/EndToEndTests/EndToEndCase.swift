import TestSupport
import XCTest

/// The end-to-end suites: the built binary against repositories made with
/// the real `git`, pushes over `file://`, the CPython differential and the
/// fuzz test. Minutes, not seconds: they run with `SSOT_SLOW_TESTS=1`,
/// which `.ci/run` sets; a plain `swift test` runs the in-process suites.
class EndToEndCase: XCTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        guard SlowTests.enabled else { throw XCTSkip(SlowTests.reason) }
    }
}
