import AgentPath
import ArgumentParser
import Foundation

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The main job: run every stage on a model and write all outputs.",
        discussion: """
        Writes into out/<system id>/ unless --out names a folder. Outputs are written all or nothing. \
        report.html shows the gate as `check` sees it: agentpath.yaml beside the model, --fail-on, --waivers. \
        Exit 0 when the outputs are written (whether the gate passes or not), 2 when the model, an option, \
        agentpath.yaml or the waivers are invalid (nothing is written).
        """
    )

    @Argument(help: "A model file or directory.")
    var model: String

    @Option(help: "Output folder (default: out/<system id>).")
    var out: String?

    @OptionGroup(title: "Gate")
    var gate: GateArguments

    @Option(name: .customLong("frameworks"), help: "An extra folder of framework catalogs and crosswalks (repeatable).")
    var extraFrameworks: [String] = []

    func run() throws {
        let diagnostics = DiagnosticCollector()
        let validated = Pipeline().load(path: model, diagnostics: diagnostics)
        Terminal.err(DiagnosticsEmitter.text(diagnostics.sorted, color: Terminal.useColor(2)))
        guard let validated else {
            Terminal.err("\(model): invalid — \(DiagnosticsEmitter.summary(errors: diagnostics.errorCount, warnings: diagnostics.warningCount)); nothing written\n")
            throw ExitCode(2)
        }
        let folder = out ?? "out/\(validated.model.system.id)"
        let frameworks = try FrameworkSupport.load(extra: extraFrameworks, diagnostics: diagnostics)
        let settings = try ModelRun.settings(model: model, gate, frameworks: frameworks, files: diagnostics.files)
        let analysis = Analyzer(frameworks: frameworks).analyze(validated)
        let result = ModelRun.evaluate(settings, analysis, today: gate.day)
        let policyTemplates: PolicyTemplates
        let reportTemplates: ReportTemplates
        do {
            policyTemplates = try PolicyTemplates.builtin()
            reportTemplates = try ReportTemplates.locate()
        } catch {
            Terminal.err("agentpath: error: \(error)\n")
            throw ExitCode(2)
        }
        let files = BuildOutputs.files(for: validated, analysis: analysis, diagnostics: diagnostics.sorted,
                                       frameworks: frameworks, policyTemplates: policyTemplates, report: reportTemplates, gate: result)
        do {
            try OutputWriter(root: folder).write(files)
        } catch {
            Terminal.err("agentpath: error: \(error)\n")
            throw ExitCode(2)
        }
        Terminal.out("\(validated.model.system.name): \(validated.model.elementCount) elements, \(DiagnosticsEmitter.summary(errors: 0, warnings: diagnostics.warningCount))\n")
        let open = analysis.paths.filter { $0.status != .mitigated }
        let bySeverity = FindingSeverity.allCases.compactMap { s -> String? in
            let n = open.filter { $0.severity == s }.count
            return n > 0 ? "\(n) \(s.rawValue)" : nil
        }
        Terminal.out("  \(analysis.paths.count) attack path groups (\(bySeverity.isEmpty ? "none open" : bySeverity.joined(separator: ", ") + " open")), \(analysis.governance.count) governance findings\n")
        Terminal.out("  \(CheckRun.summaryLine(result, source: settings.gateSource, baseline: nil))\n")
        for f in files { Terminal.out("  wrote \(folder)/\(f.path) (\(f.bytes.count) bytes)\n") }
    }
}
