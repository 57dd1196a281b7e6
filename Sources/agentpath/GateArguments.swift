import AgentPath
import ArgumentParser
import Foundation

/// The gate options `check`, `report` and `build` share, with one spelling and one help text.
/// They feed `GateSettings.load`, the loader the three commands share.
struct GateArguments: ParsableArguments {
    @Option(name: .customLong("fail-on"), help: "Lowest severity of an open path that fails the gate: critical, high, medium, low or none (default: agentpath.yaml's gate.fail_on, else high).")
    var failOn: String?

    @Option(help: "A waivers file (default: the `waivers` named in agentpath.yaml).")
    var waivers: String?

    @Option(help: "The project config (default: agentpath.yaml beside the model).")
    var config: String?

    @Flag(name: .customLong("no-config"), help: "Ignore agentpath.yaml.")
    var noConfig = false

    @Option(help: "Check waiver expiry as of this day, YYYY-MM-DD (default: today, UTC).")
    var today: String?

    func validate() throws {
        if let failOn, Gate.parse(failOn) == nil {
            throw ValidationError("--fail-on must be critical, high, medium, low or none")
        }
        if let today, CalendarDate.parse(today) == nil {
            throw ValidationError("--today must be a date written YYYY-MM-DD")
        }
    }

    var options: GateSettings.Options {
        GateSettings.Options(failOn: failOn.flatMap(Gate.parse), config: config, noConfig: noConfig, waivers: waivers)
    }

    var day: CalendarDate { today.flatMap(CalendarDate.parse) ?? CalendarDate.utc(Date()) }
}

extension ModelRun {
    /// agentpath.yaml and the waivers for `model`, read as `check` reads them. When either is
    /// invalid: the located errors on stderr, exit 2, nothing written.
    static func settings(model: String, _ args: GateArguments, frameworks: FrameworkSet, files: SourceFiles) throws -> GateSettings {
        let diagnostics = DiagnosticCollector()
        diagnostics.files = files
        let settings = GateSettings.load(model: model, args.options, frameworks: frameworks, diagnostics: diagnostics)
        Terminal.err(DiagnosticsEmitter.text(diagnostics.sorted, color: Terminal.useColor(2)))
        guard let settings else {
            Terminal.err("\(model): invalid project config or waivers — \(DiagnosticsEmitter.summary(errors: diagnostics.errorCount, warnings: diagnostics.warningCount)); nothing written\n")
            throw ExitCode(2)
        }
        return settings
    }

    /// The gate's verdicts; its diagnostics (expired waivers, unmatched ones) go to stderr.
    static func evaluate(_ settings: GateSettings, _ analysis: AnalysisResult, today: CalendarDate) -> GateResult {
        let result = settings.evaluate(analysis, today: today)
        Terminal.err(DiagnosticsEmitter.text(result.diagnostics, color: Terminal.useColor(2)))
        return result
    }

    /// `ModelRun.analyze` under the gate settings: model, frameworks, settings (exit 2 if any is
    /// invalid), then the analysis and the gate's verdicts.
    static func analyzeGated(_ path: String, extra: [String], gate args: GateArguments) throws
        -> (ValidatedModel, AnalysisResult, FrameworkSet, GateSettings, GateResult) {
        let diagnostics = DiagnosticCollector()
        guard let validated = Pipeline().load(path: path, diagnostics: diagnostics) else {
            Terminal.err(DiagnosticsEmitter.text(diagnostics.sorted, color: Terminal.useColor(2)))
            Terminal.err("\(path): invalid — \(DiagnosticsEmitter.summary(errors: diagnostics.errorCount, warnings: diagnostics.warningCount)); nothing written\n")
            throw ExitCode(2)
        }
        let frameworks = try FrameworkSupport.load(extra: extra, diagnostics: diagnostics)
        let settings = try Self.settings(model: path, args, frameworks: frameworks, files: diagnostics.files)
        let analysis = Analyzer(frameworks: frameworks).analyze(validated)
        return (validated, analysis, frameworks, settings, evaluate(settings, analysis, today: args.day))
    }
}
