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
    /// What goes to stdout, as UTF-8 (tens of megabytes on a large model: kept as bytes).
    public var stdoutBytes: [UInt8]
    public var stderr: String
    /// The gate's evaluation, when the run got that far.
    public var gate: GateResult?
    /// Every diagnostic the run reported (on stderr), in the order reported.
    public var diagnostics: [Diagnostic] = []

    /// `stdoutBytes` as text.
    public var stdout: String {
        get { String(decoding: stdoutBytes, as: UTF8.self) }
        set { stdoutBytes = Array(newValue.utf8) }
    }

    public init(exitCode: Int32, stdout: String, stderr: String, gate: GateResult?, diagnostics: [Diagnostic] = []) {
        self.init(exitCode: exitCode, stdoutBytes: Array(stdout.utf8), stderr: stderr, gate: gate, diagnostics: diagnostics)
    }

    public init(exitCode: Int32, stdoutBytes: [UInt8], stderr: String, gate: GateResult?, diagnostics: [Diagnostic] = []) {
        self.exitCode = exitCode
        self.stdoutBytes = stdoutBytes
        self.stderr = stderr
        self.gate = gate
        self.diagnostics = diagnostics
    }
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
            if let sarif = o.sarif { try write(sarif, SARIFEmitter.bytes(analysis, files: modelFiles, result: result, toolVersion: o.toolVersion)) }
            if let junit = o.junit { try write(junit, JUnitEmitter.bytes(analysis, files: modelFiles, result: result)) }
        } catch {
            return invalid("agentpath: error: \(error)\n")
        }
        stderr += DiagnosticsEmitter.text(result.diagnostics, color: o.color)
        reported += result.diagnostics
        let exit: Int32 = result.passed ? 0 : 1
        var stdout: [UInt8]
        switch o.format {
        case .text:
            stdout = FindingsText.bytes(analysis, files: modelFiles, color: o.color, showMitigated: false, gate: result)
            stdout.append(contentsOf: ("\n" + summaryLine(result, source: gateSource, baseline: baseline) + "\n").utf8)
        case .json:
            stdout = CheckJSON.bytes(analysis, files: modelFiles, result: result, failOnSource: gateSource, baseline: baseline?.path, exitCode: exit)
        }
        return CheckOutcome(exitCode: exit, stdoutBytes: stdout, stderr: stderr, gate: result, diagnostics: reported)
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
    static func write(_ path: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path)
        try OutputWriter(root: url.deletingLastPathComponent().path).write([(url.lastPathComponent, bytes)])
    }
}

/// `check --format json`: the gate's decision, a verdict per finding, the waivers' states and
/// the full findings document (which `--baseline` and `diff` read back).
public enum CheckJSON {
    public static func emit(_ r: AnalysisResult, files: SourceFiles, result g: GateResult, failOnSource: String, baseline: String?, exitCode: Int32) -> String {
        String(decoding: bytes(r, files: files, result: g, failOnSource: failOnSource, baseline: baseline, exitCode: exitCode), as: UTF8.self)
    }

    /// The document as UTF-8, written straight into one buffer.
    public static func bytes(_ r: AnalysisResult, files: SourceFiles, result g: GateResult, failOnSource: String, baseline: String?, exitCode: Int32) -> [UInt8] {
        var waiverPaths = FindingsJSON.PathCache(g.waiverFiles)
        func waiver(_ wv: Waiver, state: WaiverReport.State? = nil, into w: inout JSONWriter) {
            w.beginObject()
            w.key("fingerprint"); w.string(wv.fingerprint)
            w.key("owner"); w.string(wv.owner)
            w.key("justification"); w.string(wv.justification)
            w.key("framework"); w.string(wv.framework)
            w.key("expires"); w.string(wv.expires.description)
            w.key("location"); w.beginObject()
            w.key("file"); w.optionalString(waiverPaths.path(wv.location))
            w.key("line"); w.int(Int(wv.location.line))
            w.endObject()
            if let state { w.key("state"); w.string(state.rawValue) }
            w.endObject()
        }
        var counts = [Int](repeating: 0, count: GateVerdict.allCases.count)
        for e in g.entries { counts[GateVerdict.allCases.firstIndex(of: e.verdict)!] += 1 }
        var w = JSONWriter(capacity: FindingsJSON.estimatedSize(r) + 300 * g.entries.count + 1000 * g.waivers.count)
        w.beginObject()
        w.key("format"); w.string("agentpath-check")
        w.key("version"); w.int(1)
        w.key("gate"); w.beginObject()
        w.key("passed"); w.bool(g.passed)
        w.key("exit_code"); w.int(Int(exitCode))
        w.key("fail_on"); w.string(g.gate.failOnText)
        w.key("fail_on_from"); w.string(failOnSource)
        w.key("today"); w.string(g.today.description)
        w.key("baseline"); w.optionalString(baseline)
        w.key("counts"); w.beginObject()
        for (i, v) in GateVerdict.allCases.enumerated() { w.key(escaping: v.rawValue); w.int(counts[i]) }
        w.endObject()
        w.key("expired_waivers"); w.int(g.expiredWaivers.count)
        w.key("unmatched_waivers"); w.int(g.unmatchedWaivers.count)
        w.endObject()
        w.key("verdicts"); w.beginArray()
        for e in g.entries {
            w.beginObject()
            w.key("fingerprint"); w.string(e.finding.fingerprint)
            w.key("rule"); w.string(e.finding.rule)
            w.key("severity"); w.string(e.finding.severity.rawValue)
            w.key("status"); w.string(e.finding.status.rawValue)
            w.key("verdict"); w.string(e.verdict.rawValue)
            if let wv = e.waiver { w.key("waiver"); waiver(wv, into: &w) }
            if let wv = e.expiredWaiver { w.key("expired_waiver"); waiver(wv, into: &w) }
            w.endObject()
        }
        w.endArray()
        w.key("waivers"); w.beginArray()
        for rep in g.waivers { waiver(rep.waiver, state: rep.state, into: &w) }
        w.endArray()
        w.key("diagnostics"); w.value(DiagnosticsEmitter.json(g.diagnostics))
        w.key("findings"); FindingsJSON.write(r, files: files, into: &w)
        w.endObject()
        return w.finish()
    }
}
