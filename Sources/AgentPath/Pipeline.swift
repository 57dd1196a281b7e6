/// The compiler's stages in order: parse → validate → analyze → emit. Each stage takes the
/// previous stage's result and the one diagnostics collector; none reaches back.
public struct Pipeline {
    public var loader = ModelLoader()

    public init() {}

    /// Parse and validate. Returns nil when the model has errors (they are in `diagnostics`).
    public func load(path: String, diagnostics: DiagnosticCollector) -> ValidatedModel? {
        guard let model = loader.load(path: path, diagnostics: diagnostics) else { return nil }
        let hadErrors = diagnostics.hasErrors
        let validated = ModelValidator(diagnostics: diagnostics).validate(model)
        return hadErrors ? nil : validated
    }
}
