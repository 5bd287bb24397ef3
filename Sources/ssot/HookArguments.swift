/// The command lines the hooks run, recognised without ArgumentParser.
///
/// ArgumentParser builds its whole command tree by reflection before it
/// reads an argument: about 3 ms, measured with callgrind, as much as the
/// rest of a pre-commit check of a small change. The hooks and the
/// pre-commit framework run only `ssot check --staged` or
/// `ssot check --pre-receive`, with perhaps `--no-baseline` or `--format`.
/// Those exact forms are read here; any other word (a path, `-C`,
/// `--config`, `--help`, a typo) returns nil, and ArgumentParser parses the
/// line as usual, with its own messages.
enum HookArguments {
    static func check(_ arguments: ArraySlice<String>) -> CheckRequest? {
        guard arguments.first == "check" else { return nil }
        var request = CheckRequest()
        var rest = arguments.dropFirst()
        while let word = rest.popFirst() {
            switch word {
            case "--staged" where !request.staged: request.staged = true
            case "--pre-receive" where !request.preReceive: request.preReceive = true
            case "--no-baseline" where !request.noBaseline: request.noBaseline = true
            case "--format":
                guard let value = rest.popFirst(), let format = ReportFormat(rawValue: value) else { return nil }
                request.format = format
            default:
                guard word.hasPrefix("--format="), let format = ReportFormat(rawValue: String(word.dropFirst(9))) else { return nil }
                request.format = format
            }
        }
        return request.staged != request.preReceive ? request : nil
    }
}
