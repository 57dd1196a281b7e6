import AgentPath
import ArgumentParser
import Foundation

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the attack paths and governance gaps in a model.",
        discussion: "Prints paths grouped by severity, each step with file:line; --format json prints the full result."
    )

    @Argument(help: "A model file or directory.")
    var model: String

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Option(name: .customLong("frameworks"), help: "An extra folder of framework catalogs and crosswalks (repeatable).")
    var extraFrameworks: [String] = []

    func run() throws {
        let (validated, result, _) = try ModelRun.analyze(model, extra: extraFrameworks)
        switch format {
        case .text: Terminal.out(FindingsText.emit(result, files: validated.model.files, color: Terminal.useColor(1)))
        case .json: Terminal.out(FindingsJSON.emit(result, files: validated.model.files))
        }
    }
}

enum FrameworkSupport {
    /// The built-in catalogs plus any extra folders; catalog errors end the run with exit 2.
    /// Catalog diagnostics go to stderr on their own, not into the model's `diagnostics`.
    static func load(extra: [String], diagnostics _: DiagnosticCollector) throws -> FrameworkSet {
        guard let builtin = FrameworkLoader.builtinDirectory() else {
            Terminal.err("agentpath: error: cannot find the built-in frameworks/ folder; set AGENTPATH_HOME to the agentpath folder\n")
            throw ExitCode(2)
        }
        let collector = DiagnosticCollector()
        let set = FrameworkLoader(knownRules: RuleRegistry.ids).load(directories: [relative(builtin)] + extra, diagnostics: collector)
        Terminal.err(DiagnosticsEmitter.text(collector.sorted, color: Terminal.useColor(2)))
        if collector.hasErrors {
            Terminal.err("agentpath: framework data invalid — \(DiagnosticsEmitter.summary(errors: collector.errorCount, warnings: collector.warningCount))\n")
            throw ExitCode(2)
        }
        return set
    }

    /// A path under the working directory, written relative to it (shorter diagnostics).
    static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let base = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}
