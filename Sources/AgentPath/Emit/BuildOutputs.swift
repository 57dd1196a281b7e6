/// Everything `agentpath build` writes, as (relative path, bytes). Each capability adds its
/// files here so that one command always produces everything.
public enum BuildOutputs {
    public static func files(for model: ValidatedModel, analysis: AnalysisResult, diagnostics: [Diagnostic]) -> [(path: String, bytes: [UInt8])] {
        let diag = JSON.object([("version", .int(1)), ("diagnostics", DiagnosticsEmitter.json(diagnostics))]).rendered()
        let files = model.model.files
        return [
            ("diagnostics.json", Array(diag.utf8)),
            ("findings.json", Array(FindingsJSON.emit(analysis, files: files).utf8)),
            ("findings.txt", Array(FindingsText.emit(analysis, files: files).utf8)),
        ]
    }
}
