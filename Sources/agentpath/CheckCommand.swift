import AgentPath
import ArgumentParser
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The CI gate: analyze a model and fail on open attack paths.",
        discussion: "Exit 0 the gate passes, 1 the gate fails, 2 the model or the options are invalid."
    )

    @Argument(help: "A model file or directory.")
    var model: String

    @Option(name: .customLong("fail-on"), help: "Lowest severity of an open path that fails: critical, high, medium, low or none.")
    var failOn = "high"

    @Option(help: "Also write SARIF 2.1.0 to this file.")
    var sarif: String?

    @Option(help: "Also write JUnit XML to this file.")
    var junit: String?

    @Option(name: .customLong("frameworks"), help: "An extra folder of framework catalogs and crosswalks (repeatable).")
    var extraFrameworks: [String] = []

    func validate() throws {
        guard Gate.parse(failOn) != nil else {
            throw ValidationError("--fail-on must be critical, high, medium, low or none")
        }
    }

    func run() throws {
        let gate = Gate.parse(failOn)!
        let diagnostics = DiagnosticCollector()
        guard let validated = Pipeline().load(path: model, diagnostics: diagnostics) else {
            Terminal.err(DiagnosticsEmitter.text(diagnostics.sorted, color: Terminal.useColor(2)))
            throw ExitCode(2)
        }
        let frameworks = try FrameworkSupport.load(extra: extraFrameworks, diagnostics: diagnostics)
        let result = Analyzer(frameworks: frameworks).analyze(validated)
        let files = validated.model.files
        do {
            if let sarif { try writeBeside(sarif, SARIFEmitter.emit(result, files: files, gate: gate, toolVersion: AgentPathCommand.configuration.version)) }
            if let junit { try writeBeside(junit, JUnitEmitter.emit(result, files: files, gate: gate)) }
        } catch {
            Terminal.err("agentpath: error: \(error)\n")
            throw ExitCode(2)
        }
        let failing = gate.failing(result)
        Terminal.out(FindingsText.emit(result, files: files, color: Terminal.useColor(1), showMitigated: false))
        let threshold = gate.failOn.map { "\($0.rawValue) or above" } ?? "(gate off)"
        if failing.isEmpty {
            Terminal.out("\ngate: pass — no open path \(threshold)\n")
        } else {
            Terminal.out("\ngate: FAIL — \(failing.count) open path\(failing.count == 1 ? "" : "s") \(threshold)\n")
            throw ExitCode(1)
        }
    }

    /// One output file, written atomically into its own folder.
    func writeBeside(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path)
        try OutputWriter(root: url.deletingLastPathComponent().path).write(url.lastPathComponent, text)
    }
}
