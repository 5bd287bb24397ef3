import SSOTReport

/// The command lines the hooks run, recognised without ArgumentParser.
///
/// ArgumentParser builds its whole command tree by reflection before it
/// reads an argument: about 3 ms, measured with callgrind, as much as the
/// rest of a pre-commit check of a small change. The hooks and the
/// pre-commit framework run only `ssot check --staged` or
/// `ssot check --pre-receive`, with perhaps `--no-baseline` or `--format`.
/// Those exact forms are read here into the same `CheckRequest` that `Check`
/// fills; any other word (a path, `-C`, `--config`, `--help`, a typo)
/// returns nil, and ArgumentParser parses the line as usual, with its own
/// messages.
enum HookArguments {
    static func check(_ arguments: ArraySlice<String>) -> CheckRequest? {
        guard arguments.first == "check" else { return nil }
        var staged = false, preReceive = false, noBaseline = false
        var format = ReportFormat.text
        var rest = arguments.dropFirst()
        while let word = rest.popFirst() {
            switch word {
            case "--staged" where !staged: staged = true
            case "--pre-receive" where !preReceive: preReceive = true
            case "--no-baseline" where !noBaseline: noBaseline = true
            case "--format":
                guard let value = rest.popFirst(), let named = ReportFormat(rawValue: value) else { return nil }
                format = named
            default:
                guard word.hasPrefix("--format="), let named = ReportFormat(rawValue: String(word.dropFirst(9))) else { return nil }
                format = named
            }
        }
        guard case let .success(target) = CheckRequest.target(staged: staged, preReceive: preReceive, range: nil, all: false, paths: []) else {
            return nil
        }
        return CheckRequest(target: target, format: format, noBaseline: noBaseline)
    }
}
