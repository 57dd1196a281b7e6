/// Everything `agentpath build` writes, as (relative path, bytes). Each capability adds its
/// files here so that one command always produces everything.
public enum BuildOutputs {
    /// The version outputs name (SARIF's tool driver); the CLI's `--version` prints it too.
    public static let toolVersion = "0.1.0"

    /// The policy and report outputs are added when their templates are given (the CLI always gives them).
    /// `gate` is the gate's evaluation the report shows (waivers included); nil is the default
    /// threshold with no waivers.
    public static func files(for model: ValidatedModel, analysis: AnalysisResult, diagnostics: [Diagnostic],
                             frameworks: FrameworkSet = .empty, policyTemplates: PolicyTemplates? = nil,
                             report: ReportTemplates? = nil, gate: GateResult? = nil) -> [(path: String, bytes: [UInt8])] {
        let diag = JSON.object([("version", .int(1)), ("diagnostics", DiagnosticsEmitter.json(diagnostics))]).rendered()
        let files = model.model.files
        var out: [(path: String, bytes: [UInt8])] = [
            ("diagnostics.json", Array(diag.utf8)),
            ("findings.json", Array(FindingsJSON.emit(analysis, files: files).utf8)),
            ("findings.txt", Array(FindingsText.emit(analysis, files: files).utf8)),
        ]
        // The CI files, as `check --sarif --junit` would write them for the same gate.
        let verdicts = gate ?? Gate().evaluateWithoutWaivers(analysis)
        out.append(("findings.sarif", Array(SARIFEmitter.emit(analysis, files: files, result: verdicts, toolVersion: toolVersion).utf8)))
        out.append(("findings.junit.xml", Array(JUnitEmitter.emit(analysis, files: files, result: verdicts).utf8)))
        if let policyTemplates {
            out += PolicyEmitter.files(for: model, analysis: analysis, templates: policyTemplates).map { ("policies/" + $0.path, $0.bytes) }
        }
        if let report {
            out.append(("report.html", Array(ReportHTML.render(model: model, analysis: analysis, frameworks: frameworks, gate: gate ?? Gate().evaluateWithoutWaivers(analysis), templates: report).utf8)))
        }
        return out
    }
}
