#if canImport(Glibc)
import Glibc
#endif

/// `SSOT_TRACE=1` prints how long each phase of a run took, to stderr: the
/// answer to "why is my hook slow" without a profiler.
enum Trace {
    static let enabled = getenv("SSOT_TRACE") != nil
    /// Process start, from /proc/self/stat, so the first phase includes start-up.
    nonisolated(unsafe) private static var last = processStart() ?? now()

    static func processStart() -> Double? {
        guard let f = fopen("/proc/self/stat", "r") else { return nil }
        defer { fclose(f) }
        var buf = [CChar](repeating: 0, count: 1024)
        guard fgets(&buf, 1024, f) != nil else { return nil }
        let line = String(cString: buf)
        guard let close = line.lastIndex(of: ")") else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        var boot = timespec()
        clock_gettime(CLOCK_BOOTTIME, &boot)
        let sinceBoot = Double(boot.tv_sec) * 1000 + Double(boot.tv_nsec) / 1_000_000
        let age = sinceBoot - ticks * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
        return now() - age
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    }

    /// Marks the end of a phase.
    static func mark(_ phase: @autoclosure () -> String) {
        guard enabled else { return }
        let t = now()
        Output.stderr("ssot trace: \(phase()): \(String(Int((t - last) * 1000))) µs\n")
        last = now()
    }
}
