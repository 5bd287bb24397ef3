import SSOTCore

/// The closing lines of a rejection: what to do next, in the mode's terms.
public enum NextSteps {
    public static func of(_ verdict: Verdict) -> String {
        switch verdict.mode {
        case .staged: return forCommit(verdict, verdict.config)
        case .range: return forCommit(verdict, nil)
        case .preReceive: return forPush(verdict)
        case .all, .paths: return forWorkingTree(verdict)
        }
    }

    static func forWorkingTree(_ verdict: Verdict) -> String {
        var out = "Fix each finding with the replacement shown."
        if !verdict.withoutBaseline {
            out += " For a real exception, add `# ssot: ignore[rule-id] reason` where inline-ignores are enabled,"
                + " or grow the baseline in a reviewed change."
        }
        return out + "\n"
    }

    static func forCommit(_ verdict: Verdict, _ config: Config?) -> String {
        var out = ""
        if verdict.newCount > 0 {
            out += "To commit: fix each new finding with the replacement shown, stage it, and commit again.\n"
            if config?.inlineIgnores == true {
                out += "For a real exception: add `# ssot: ignore[rule-id] reason` on its line; a reviewer sees it in the diff.\n"
            } else {
                out += "For a real exception: grow the baseline in a change of its own (`ssot baseline --allow-growth`),"
                    + " have it reviewed, and push it through the server gate's bypass (`git push -o ssot.allow-growth`).\n"
            }
        }
        if !verdict.grown.isEmpty {
            if verdict.grown.allSatisfy({ $0.before == 0 }) && verdict.findings.isEmpty {
                out += "The baseline may only shrink. If HEAD has a config but no baseline, a baseline added now is growth:"
                    + " commit config and baseline together (`ssot init`), or have the growth reviewed.\n"
            } else {
                out += "The baseline may only shrink: unstage the added entries (`git restore --staged \(config?.baseline ?? ".ssot-baseline")`),"
                    + " or have the growth reviewed and pushed through the server gate's bypass.\n"
            }
        }
        if !verdict.uncheckable.isEmpty {
            out += "A file the gate cannot check is refused: split it below max-file-size, save it as UTF-8,"
                + " or remove the link or bytecode.\n"
        }
        if !verdict.loosened.isEmpty {
            out += "The config may only tighten: undo the settings listed (`git restore --staged \(config?.file ?? "ssot.toml")`),"
                + " or have the change reviewed and pushed through the server gate's audited bypass.\n"
        }
        return out
    }

    static func forPush(_ verdict: Verdict) -> String {
        var out = ""
        if verdict.newCount > 0 {
            out += "Fix each new finding with the replacement shown, commit, and push again.\n"
        }
        if !verdict.grown.isEmpty {
            out += "The baseline may only shrink. Growth is accepted only from a user the server lists in ssot.bypassUsers"
                + " pushing with `git push -o ssot.allow-growth`, and is audited.\n"
        }
        if !verdict.uncheckable.isEmpty {
            out += "A file the gate cannot check is refused: split it below max-file-size, save it as UTF-8,"
                + " or remove the link or bytecode.\n"
        }
        if !verdict.loosened.isEmpty {
            out += "The config may only tighten. A loosened config is accepted only from a user the server lists in"
                + " ssot.bypassUsers pushing with `git push -o ssot.allow-growth`, and is audited.\n"
        }
        return out
    }
}
