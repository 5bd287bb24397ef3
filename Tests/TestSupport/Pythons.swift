import Foundation

/// The CPython interpreters this machine has (pyenv's), used as references.
public enum Pythons {
    /// `python3.X` from pyenv, or from PATH.
    public static func find(_ version: String) -> String? {
        let fm = FileManager.default
        var roots: [String] = []
        if let root = ProcessInfo.processInfo.environment["PYENV_ROOT"] { roots.append(root) }
        roots.append(NSHomeDirectory() + "/.pyenv")
        roots.append("/root/.pyenv")
        for root in roots {
            let versions = root + "/versions"
            guard let names = try? fm.contentsOfDirectory(atPath: versions) else { continue }
            for name in names.sorted().reversed() where name.hasPrefix(version + ".") {
                let exe = "\(versions)/\(name)/bin/python3"
                if fm.isExecutableFile(atPath: exe) { return exe }
            }
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let exe = "\(dir)/python\(version)"
            if fm.isExecutableFile(atPath: exe) { return exe }
        }
        return nil
    }

    /// The default `python3`.
    public static var python3: String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let exe = "\(dir)/python3"
            if FileManager.default.isExecutableFile(atPath: exe) { return exe }
        }
        return Tools.find("python3")
    }
}
