import AgentPath
import ArgumentParser
import Foundation

@main
struct Main {
    static func main() {
        do {
            var command = try AgentPathCommand.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            // Usage errors exit 2, like invalid models: 0 and 1 belong to the gate.
            let code = AgentPathCommand.exitCode(for: error)
            if code == .success {
                AgentPathCommand.exit(withError: error)
            }
            FileHandle.standardError.write(Data((AgentPathCommand.fullMessage(for: error) + "\n").utf8))
            exit(2)
        }
    }
}

struct AgentPathCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agentpath",
        abstract: "Threat-model and framework-mapping compiler for AI-agent systems.",
        discussion: "Exit codes: 0 success, 1 gate failed (or warnings under --strict), 2 invalid model or options.",
        version: BuildOutputs.toolVersion,
        subcommands: [Build.self, Check.self, Diff.self, Analyze.self, Policy.self, Report.self, Graph.self, Validate.self, Frameworks.self, Schema.self, Init.self],
        defaultSubcommand: nil
    )
}

enum Terminal {
    static func useColor(_ fd: Int32) -> Bool {
        isatty(fd) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes the bytes to stdout as they are (no copy into a `Data`).
    static func out(bytes: [UInt8]) {
        bytes.withUnsafeBytes { buf in
            guard var p = buf.baseAddress else { return }
            var left = buf.count
            while left > 0 {
                let n = write(1, p, left)
                if n < 0 { if errno == EINTR { continue } else { return } }
                p += n
                left -= n
            }
        }
    }
}
