import SSOTCore
import SSOTEngine

/// What the pre-commit gate says about the baseline it tightened (SPEC 5).
public enum TighteningReport {
    /// The text for stderr; nil when there is nothing to say.
    public static func render(_ outcome: Tightening.Outcome, file: String) -> String? {
        let command = "ssot baseline && git commit -m \"Tighten the ssot baseline\" -- \(file)"
        switch outcome {
        case .nothing:
            return nil
        case let .warned(changes):
            return "ssot: note: \(file) allows more than this commit leaves (tighten = \"warn\"):\n\(describe(changes))\n"
                + "  to tighten it after the commit, run: \(command)\n"
        case let .notStaged(changes):
            return "ssot: note: \(file) can be tightened:\n\(describe(changes))\n"
                + "  this commit names its paths (`git commit PATH`), so ssot did not stage it; after the commit, run: \(command)\n"
        case let .staged(changes, leftAlone):
            var message = "ssot: tightened \(file), staged with this commit:\n\(describe(changes))\n"
            if leftAlone {
                message += "  the working-tree \(file) has unstaged edits, so it was left alone; "
                    + "after the commit `git diff \(file)` shows them against the tightened one\n"
            }
            return message
        }
    }

    /// One line per entry: `path rule fingerprint 2 → 1`, or `moved to NEW`
    /// for the entries a rename carried along.
    public static func describe(_ changes: [BaselineChange]) -> String {
        var movedIn: [String: [BaselineChange]] = [:]
        for c in changes where c.before == 0 { movedIn[c.key.rule + "\t" + c.key.fingerprint, default: []].append(c) }
        var shown = Set<BaselineKey>()
        var lines: [String] = []
        for c in changes where c.before > 0 {
            let head = "  " + EntryLine.key(c.key) + "\t"
            if c.after == 0, let target = movedIn[c.key.rule + "\t" + c.key.fingerprint]?.first(where: { !shown.contains($0.key) }) {
                shown.insert(target.key)
                lines.append(head + "moved to \(Terminal.escape(target.key.path))" + (target.after < c.before ? " (\(c.before) → \(target.after))" : ""))
            } else {
                lines.append("  " + EntryLine.change(c))
            }
        }
        for c in changes where c.before == 0 && !shown.contains(c.key) {
            lines.append("  " + EntryLine.change(c))
        }
        return lines.joined(separator: "\n")
    }
}
