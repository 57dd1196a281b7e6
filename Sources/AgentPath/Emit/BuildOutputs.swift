/// Everything `agentpath build` writes, as (relative path, bytes). Each capability adds its
/// files here so that one command always produces everything.
public enum BuildOutputs {
    public static func files(for model: ValidatedModel, diagnostics: [Diagnostic]) -> [(path: String, bytes: [UInt8])] {
        let diag = JSON.object([("version", .int(1)), ("diagnostics", DiagnosticsEmitter.json(diagnostics))]).rendered()
        return [("diagnostics.json", Array(diag.utf8))]
    }
}
