import Foundation

/// `agentpath check` as a library call: everything but argument parsing and the process exit,
/// so tests can drive every exit code. Exit 0: the gate passes. 1: it fails (an open path at
/// or above the threshold that is neither waived nor in the baseline, or an expired waiver).
/// 2: the model, the options, the config, the waivers or the baseline are invalid.
public struct CheckOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    public var model: String
    /// `--fail-on`; nil leaves it to `agentpath.yaml`, then `high`.
    public var failOn: String?
    public var format: Format = .text
    public var sarif: String?
    public var junit: String?
    /// `--config`; nil looks for `agentpath.yaml` beside the model.
    public var config: String?
    /// `--no-config`: ignore `agentpath.yaml`.
    public var noConfig = false
    /// `--waivers`; nil takes the config's.
    public var waivers: String?
    public var baseline: String?
    /// The day waivers are checked against (tests inject it; the CLI passes the UTC date).
    public var today: CalendarDate
    public var color = false
    public var toolVersion = "0"

    public init(model: String, today: CalendarDate) {
        self.model = model
        self.today = today
    }
}

public struct CheckOutcome: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
    /// The gate's evaluation, when the run got that far.
    public var gate: GateResult?
    /// Every diagnostic the run reported (on stderr), in the order reported.
    public var diagnostics: [Diagnostic] = []
}

public enum CheckRun {
    public static func run(_ o: CheckOptions, frameworks: FrameworkSet) -> CheckOutcome {
        var stderr = ""
        var reported: [Diagnostic] = []
        func invalid(_ message: String, _ diagnostics: [Diagnostic] = []) -> CheckOutcome {
            CheckOutcome(exitCode: 2, stdout: "", stderr: stderr + message, gate: nil, diagnostics: reported + diagnostics)
        }
        var cliGate: Gate?
        if let text = o.failOn {
            guard let g = Gate.parse(text) else { return invalid("agentpath: error: --fail-on must be critical, high, medium, low or none, not '\(text)'\n") }
            cliGate = g
        }
        let diagnostics = DiagnosticCollector()
        guard let validated = Pipeline().load(path: o.model, diagnostics: diagnostics) else {
            return invalid(DiagnosticsEmitter.text(diagnostics.sorted, color: o.color)
                + "\(o.model): invalid — \(DiagnosticsEmitter.summary(errors: diagnostics.errorCount, warnings: diagnostics.warningCount))\n", diagnostics.sorted)
        }
        let modelFiles = validated.model.files
        // Settings: the command line, then agentpath.yaml, then the defaults.
        let settings = DiagnosticCollector()
        settings.files = diagnostics.files
        let options = GateSettings.Options(failOn: cliGate, config: o.config, noConfig: o.noConfig, waivers: o.waivers)
        guard let chosen = GateSettings.load(model: o.model, options, frameworks: frameworks, diagnostics: settings) else {
            return invalid(DiagnosticsEmitter.text(settings.sorted, color: o.color), settings.sorted)
        }
        let gate = chosen.gate
        let gateSource = chosen.gateSource
        let waivers = chosen.waivers
        var baseline: Baseline?
        if let path = o.baseline {
            baseline = Baseline.load(path: path, diagnostics: settings)
            if baseline == nil { return invalid(DiagnosticsEmitter.text(settings.sorted, color: o.color), settings.sorted) }
        }
        stderr += DiagnosticsEmitter.text(settings.sorted, color: o.color)
        reported += settings.sorted

        let analysis = Analyzer(frameworks: frameworks).analyze(validated)
        let result = gate.evaluate(analysis, waivers: waivers, baseline: baseline, today: o.today)
        do {
            if let sarif = o.sarif { try write(sarif, SARIFEmitter.emit(analysis, files: modelFiles, result: result, toolVersion: o.toolVersion)) }
            if let junit = o.junit { try write(junit, JUnitEmitter.emit(analysis, files: modelFiles, result: result)) }
        } catch {
            return invalid("agentpath: error: \(error)\n")
        }
        stderr += DiagnosticsEmitter.text(result.diagnostics, color: o.color)
        reported += result.diagnostics
        let exit: Int32 = result.passed ? 0 : 1
        let stdout: String
        switch o.format {
        case .text:
            stdout = FindingsText.emit(analysis, files: modelFiles, color: o.color, showMitigated: false, gate: result)
                + "\n" + summaryLine(result, source: gateSource, baseline: baseline) + "\n"
        case .json:
            stdout = CheckJSON.emit(analysis, files: modelFiles, result: result, failOnSource: gateSource, baseline: baseline?.path, exitCode: exit)
        }
        return CheckOutcome(exitCode: exit, stdout: stdout, stderr: stderr, gate: result, diagnostics: reported)
    }

    /// `gate: FAIL — 2 open paths high or above; 1 waived; 1 expired waiver (fail-on high from agentpath.yaml)`
    public static func summaryLine(_ g: GateResult, source: String, baseline: Baseline?) -> String {
        let failing = g.count(.fail)
        var parts: [String] = []
        if failing > 0 || g.passed {
            parts.append(failing == 0 ? "no open path \(g.gate.thresholdText)" : "\(failing) open path\(failing == 1 ? "" : "s") \(g.gate.thresholdText)\(baseline != nil ? " not in the baseline" : "")")
        }
        let expired = g.expiredWaivers.count
        if expired > 0 { parts.append("\(expired) expired waiver\(expired == 1 ? "" : "s")") }
        let waived = g.count(.waived)
        if waived > 0 { parts.append("\(waived) waived") }
        let inBaseline = g.count(.baseline)
        if baseline != nil { parts.append("\(inBaseline) in the baseline") }
        let unmatched = g.unmatchedWaivers.count
        if unmatched > 0 { parts.append("\(unmatched) unmatched waiver\(unmatched == 1 ? "" : "s")") }
        let from = GateSettings(gate: g.gate, gateSource: source).gateSourceText
        return "gate: \(g.passed ? "pass" : "FAIL") — \(parts.joined(separator: "; ")) (\(from))"
    }

    /// One output file, written atomically into its own folder.
    static func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path)
        try OutputWriter(root: url.deletingLastPathComponent().path).write(url.lastPathComponent, text)
    }
}

/// `check --format json`: the gate's decision, a verdict per finding, the waivers' states and
/// the full findings document (which `--baseline` and `diff` read back).
public enum CheckJSON {
    public static func emit(_ r: AnalysisResult, files: SourceFiles, result g: GateResult, failOnSource: String, baseline: String?, exitCode: Int32) -> String {
        func waiver(_ w: Waiver) -> JSON {
            .object([("fingerprint", .string(w.fingerprint)), ("owner", .string(w.owner)), ("justification", .string(w.justification)),
                     ("framework", .string(w.framework)), ("expires", .string(w.expires.description)),
                     ("location", .object([("file", JSON.optional(g.waiverFiles.path(w.location))), ("line", .int(Int(w.location.line)))]))])
        }
        return JSON.object([
            ("format", .string("agentpath-check")),
            ("version", .int(1)),
            ("gate", .object([
                ("passed", .bool(g.passed)),
                ("exit_code", .int(Int(exitCode))),
                ("fail_on", .string(g.gate.failOnText)),
                ("fail_on_from", .string(failOnSource)),
                ("today", .string(g.today.description)),
                ("baseline", JSON.optional(baseline)),
                ("counts", .object(GateVerdict.allCases.map { ($0.rawValue, .int(g.count($0))) })),
                ("expired_waivers", .int(g.expiredWaivers.count)),
                ("unmatched_waivers", .int(g.unmatchedWaivers.count)),
            ])),
            ("verdicts", .array(g.entries.map { e in
                var o: [(String, JSON)] = [("fingerprint", .string(e.finding.fingerprint)), ("rule", .string(e.finding.rule)),
                                           ("severity", .string(e.finding.severity.rawValue)), ("status", .string(e.finding.status.rawValue)),
                                           ("verdict", .string(e.verdict.rawValue))]
                if let w = e.waiver { o.append(("waiver", waiver(w))) }
                if let w = e.expiredWaiver { o.append(("expired_waiver", waiver(w))) }
                return .object(o)
            })),
            ("waivers", .array(g.waivers.map { rep in
                guard case .object(let fields) = waiver(rep.waiver) else { return .null }
                return .object(fields + [("state", .string(rep.state.rawValue))])
            })),
            ("diagnostics", DiagnosticsEmitter.json(g.diagnostics)),
            ("findings", FindingsJSON.document(r, files: files)),
        ]).rendered()
    }
}
