import ArgumentParser
import PythonScan
import SSOTCore
import SSOTEngine
import SSOTReport
import SSOTSystem

extension SSOTCommand {
    /// `ssot scan-bench PATH…` (hidden): the scanner's own speed on one core.
    /// Files are read into memory first, then lexed, parsed and resolved in a
    /// loop, so the figure is the scanner's, not the disk's or the prefilter's.
    struct ScanBenchCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan-bench",
            abstract: "Measure the Python scanner's throughput on one core (for developers).",
            shouldDisplay: false)

        @Argument(help: "Files or folders of Python source.")
        var paths: [String]

        @Option(help: "How many passes over the files.")
        var passes = 3

        func run() throws {
            var files: [[UInt8]] = []
            let cwd = Paths.current()
            for path in paths {
                let tree = WorkingTree(root: Paths.absolute(path, from: cwd))
                let names = Paths.isDirectory(tree.root) ? tree.walk("", config: Config()) : [""]
                for name in names {
                    if case let .bytes(b) = try tree.readChecked(name, maxSize: 100_000_000) { files.append(b) }
                }
            }
            let bytes = files.reduce(0) { $0 + $1.count }
            var best = Double.infinity
            var kept = 0
            for _ in 0..<max(1, passes) {
                let start = Trace.now()
                for f in files {
                    let result = PythonScanner.scan(f, module: ModuleContext(moduleName: "pkg.mod", isPackage: false))
                    kept &+= result.imports.count &+ result.uses.count
                }
                best = min(best, Trace.now() - start)
            }
            let mbps = Double(bytes) / 1_000_000 / (best / 1000)
            Output.stdout("\(files.count) files, \(bytes / 1_000_000) MB: best of \(passes) passes \(Int(best.rounded())) ms, "
                + "\(Int(mbps.rounded())) MB/s on one core (\(kept / max(1, passes)) imports and uses)\n")
        }
    }
}
