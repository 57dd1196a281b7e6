import AgentPath
import ArgumentParser
import Foundation

enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case html, markdown }
enum GraphFormat: String, ExpressibleByArgument, CaseIterable { case dot, mermaid }

/// Loads, validates and analyzes a model for `report` and `graph`; exit 2 when it is invalid.
enum ModelRun {
    static func analyze(_ path: String, extra: [String]) throws -> (ValidatedModel, AnalysisResult, FrameworkSet) {
        let diagnostics = DiagnosticCollector()
        guard let validated = Pipeline().load(path: path, diagnostics: diagnostics) else {
            Terminal.err(DiagnosticsEmitter.text(diagnostics.sorted, color: Terminal.useColor(2)))
            Terminal.err("\(path): invalid — \(DiagnosticsEmitter.summary(errors: diagnostics.errorCount, warnings: diagnostics.warningCount)); nothing written\n")
            throw ExitCode(2)
        }
        let frameworks = try FrameworkSupport.load(extra: extra, diagnostics: diagnostics)
        return (validated, Analyzer(frameworks: frameworks).analyze(validated), frameworks)
    }

    static func write(_ text: String, to output: String?) throws {
        guard let output, output != "-" else { Terminal.out(text); return }
        let url = URL(fileURLWithPath: output)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            Terminal.err("agentpath: error: cannot write \(output): \(error.localizedDescription)\n")
            throw ExitCode(2)
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the self-contained HTML report (or a short Markdown summary).",
        discussion: """
        HTML goes to out/<system id>/report.html unless --output names a file ('-' for stdout); Markdown goes to stdout. \
        The gate, its threshold and the waivers are those `check` uses: agentpath.yaml beside the model, --fail-on, --waivers. \
        Exit 0 when the report is written (whether the gate passes or not), 2 when the model, an option, agentpath.yaml or \
        the waivers are invalid (nothing is written). See docs/report.md.
        """
    )

    @Argument(help: "A model file or directory.")
    var model: String

    @Option(help: "html or markdown.")
    var format: ReportFormat = .html

    @Option(name: [.short, .customLong("output")], help: "Where to write ('-' for stdout).")
    var output: String?

    @OptionGroup(title: "Gate")
    var gate: GateArguments

    @Option(name: .customLong("frameworks"), help: "An extra folder of framework catalogs and crosswalks (repeatable).")
    var extraFrameworks: [String] = []

    func run() throws {
        let templates: ReportTemplates?
        do { templates = format == .html ? try ReportTemplates.locate() : nil } catch {
            Terminal.err("agentpath: error: \(error)\n")
            throw ExitCode(2)
        }
        let (validated, analysis, frameworks, _, result) = try ModelRun.analyzeGated(model, extra: extraFrameworks, gate: gate)
        switch format {
        case .markdown:
            try ModelRun.write(ReportMarkdown.render(model: validated, analysis: analysis, gate: result), to: output)
        case .html:
            let html = ReportHTML.render(model: validated, analysis: analysis, frameworks: frameworks, gate: result, templates: templates!)
            let target = output ?? "out/\(validated.model.system.id)/report.html"
            try ModelRun.write(html, to: target)
            if target != "-" { Terminal.err("wrote \(target) (\(html.utf8.count) bytes)\n") }
        }
    }
}

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export the system diagram as Graphviz DOT or Mermaid.",
        discussion: "The same layout as the report's diagram: bands by trust zone, columns by element kind."
    )

    @Argument(help: "A model file or directory.")
    var model: String

    @Option(help: "dot or mermaid.")
    var format: GraphFormat = .dot

    @Option(name: [.short, .customLong("output")], help: "Where to write (default stdout).")
    var output: String?

    func run() throws {
        let diagnostics = DiagnosticCollector()
        guard let validated = Pipeline().load(path: model, diagnostics: diagnostics) else {
            Terminal.err(DiagnosticsEmitter.text(diagnostics.sorted, color: Terminal.useColor(2)))
            throw ExitCode(2)
        }
        let d = SystemDiagram(validated)
        let text: String
        switch format {
        case .dot: text = d.dot()
        case .mermaid: text = d.mermaid()
        }
        try ModelRun.write(text, to: output)
    }
}
