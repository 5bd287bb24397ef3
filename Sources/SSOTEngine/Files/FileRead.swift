/// What reading one candidate file gave: its bytes, or why it was skipped.
public enum FileRead {
    case bytes([UInt8])
    case skipped(String)
    /// A file the gate cannot check: it fails closed on it (SPEC 2).
    case uncheckable(String)
}
