import SSOTCore
import SSOTEngine
#if canImport(Glibc)
import Glibc
#endif

/// Colour only on a terminal, and never with NO_COLOR (no-color.org) or TERM=dumb.
public struct Colour {
    public let on: Bool

    public init(on: Bool) { self.on = on }

    public static func enabled(forFD fd: Int32) -> Colour {
        let env = ProcessEnvironment.current
        if let noColor = env["NO_COLOR"], !noColor.isEmpty { return Colour(on: false) }
        if env["TERM"] == "dumb" { return Colour(on: false) }
        return Colour(on: isatty(fd) == 1)
    }

    func bold(_ s: String) -> String { on ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func red(_ s: String) -> String { on ? "\u{1B}[1;31m\(s)\u{1B}[0m" : s }
    func cyan(_ s: String) -> String { on ? "\u{1B}[36m\(s)\u{1B}[0m" : s }
    func blue(_ s: String) -> String { on ? "\u{1B}[1;34m\(s)\u{1B}[0m" : s }
    func green(_ s: String) -> String { on ? "\u{1B}[1;32m\(s)\u{1B}[0m" : s }
    func yellow(_ s: String) -> String { on ? "\u{1B}[1;33m\(s)\u{1B}[0m" : s }
}
