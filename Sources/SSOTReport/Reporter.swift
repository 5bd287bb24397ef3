import SSOTCore
import SSOTEngine

/// What a reporter is told besides the verdict.
public struct ReportContext {
    public var colour: Colour
    /// What the user can do about a rejection, in the mode's terms.
    public var nextSteps: String
    /// Whether to point at `ssot baseline` for loose entries (not where the
    /// gate tightens them itself).
    public var looseNote: Bool

    public init(colour: Colour, nextSteps: String, looseNote: Bool) {
        self.colour = colour
        self.nextSteps = nextSteps
        self.looseNote = looseNote
    }

    /// The context a verdict of `mode` is reported in.
    public static func of(_ verdict: Verdict, colour: Colour) -> ReportContext {
        ReportContext(colour: colour, nextSteps: NextSteps.of(verdict),
                      looseNote: verdict.mode == .staged ? verdict.config?.tighten == .off : true)
    }
}

/// One output format of a verdict. A new format is a file with a type that
/// conforms, and a case of `ReportFormat`: the compiler then lists every
/// switch that must handle it.
public protocol Reporter {
    func render(_ verdict: Verdict, _ context: ReportContext) -> String
}

/// `--format`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, sarif, github, gitlab

    public var reporter: Reporter {
        switch self {
        case .text: return TextReport()
        case .json: return JSONReport()
        case .sarif: return SARIFReport()
        case .github: return GitHubReport()
        case .gitlab: return GitLabReport()
        }
    }
}
