import SSOTSystem
#if canImport(Glibc)
import Glibc
#endif

/// `SSOT_TRACE=1` prints how long each phase of a run took, to stderr: the
/// answer to "why is my hook slow" without a profiler.
public enum Trace {
    public static let enabled = getenv("SSOT_TRACE") != nil
    /// Set at the first mark, at the start of `main`: process start-up itself
    /// (loading libgit2 and its libraries) is outside what ssot can time.
    nonisolated(unsafe) private static var last = now()

    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    }

    /// Marks the end of a phase.
    public static func mark(_ phase: @autoclosure () -> String) {
        guard enabled else { return }
        let t = now()
        _ = FileIO.writeAll(2, Array("ssot trace: \(phase()): \(String(Int((t - last) * 1000))) µs\n".utf8))
        last = now()
    }
}
