import ArgumentParser
import SSOTCore
import SSOTEngine
import SSOTSystem

/// Options every command that touches a repository shares.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if ssot was started in DIR.", valueName: "DIR"))
    var directory: String?

    @Option(help: ArgumentHelp("Use this config file instead of the repository's.", valueName: "FILE"))
    var config: String?

    /// The same, as plain values.
    var paths: RepositoryPaths { RepositoryPaths(directory: directory, config: config) }
}

/// `-C DIR` and `--config FILE`, resolved.
struct RepositoryPaths {
    var directory: String?
    var config: String?

    /// The folder to work in, absolute, after `-C`.
    func workingDirectory() throws -> String {
        let cwd = Paths.current()
        guard let directory else { return cwd }
        // Resolved as `cd -P` would: the repository's root is a physical path, and the
        // files named on the command line are compared with it.
        let lexical = Paths.absolute(directory, from: cwd)
        guard Paths.isDirectory(lexical), let path = Paths.physical(lexical) else {
            throw Failure.usage("cannot change to '\(directory)': no such directory")
        }
        return path
    }

    /// The `--config` file, read from disk, if one was given.
    func configOverride(relativeTo directory: String) throws -> Config? {
        guard let file = config else { return nil }
        let path = file.hasPrefix("/") ? file : directory + "/" + file
        guard let data = Paths.contents(path) else {
            throw Failure.usage("cannot read config file '\(file)'")
        }
        guard let config = try ConfigLoader.parse(data, file: file) else {
            throw Failure.usage("\(file) has no [tool.ssot] table")
        }
        return config
    }

    /// What every mode is given: the folder, the `--config` rules, git's environment.
    func context(noBaseline: Bool = false) throws -> CheckContext {
        let directory = try workingDirectory()
        return CheckContext(directory: directory, configOverride: try configOverride(relativeTo: directory), noBaseline: noBaseline,
                            environment: ProcessEnvironment.current)
    }
}
