// agentpath-bench: times each stage of the compiler on model files (docs/performance.md).
//
//   swift build -c release --product agentpath-bench
//   .build/release/agentpath-bench [--reps N] [--paths-per-group N] [--tsv FILE] MODEL...
//
// For each model: parse (ModelLoader), validate (ModelValidator), graph (the analysis
// context, control evaluator, entry points and influence sets the analyzer builds first),
// analyze (the whole Analyzer.analyze, which includes graph again; paths = analyze − graph),
// and each emitter (findings JSON, findings text, SARIF, JUnit, HTML report, policies).
// Each stage runs --reps times (default 3) on a monotonic clock; the table shows the median
// and the best. Peak RSS is getrusage's ru_maxrss for the whole process, read after each
// model (so it is the peak so far; run one model per process for a per-model figure).
import AgentPath
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func peakRSSkB() -> Int {
    var ru = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &ru)
    #else
    getrusage(RUSAGE_SELF, &ru)
    #endif
    #if canImport(Darwin)
    return Int(ru.ru_maxrss) / 1024
    #else
    return Int(ru.ru_maxrss)
    #endif
}

enum StandardError {
    /// Writes to file descriptor 2 (no global `stderr`, which Swift 6 treats as shared state).
    static func put(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}

func fail(_ message: String) -> Never {
    StandardError.put("agentpath-bench: \(message)\n")
    exit(2)
}

struct Timing {
    var stage: String
    var times: [Double] = []
    var bytes: Int? = nil
    var median: Double { let s = times.sorted(); return s[s.count / 2] }
    var best: Double { times.min() ?? 0 }
}

/// Runs `body` `reps` times, keeping the last result; records the wall time of each run.
func measure<T>(_ stage: String, reps: Int, into timings: inout [Timing], _ body: () -> T) -> T {
    var t = Timing(stage: stage)
    var result: T? = nil
    for _ in 0..<reps {
        let start = now()
        result = body()
        t.times.append(now() - start)
    }
    timings.append(t)
    return result!
}

func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, n - s.count))
    return right ? fill + s : s + fill
}

func ms(_ seconds: Double) -> String {
    let v = seconds * 1000
    return v >= 100 ? String(Int(v.rounded())) : String(Double(Int(v * 10)) / 10)
}

var args = Array(CommandLine.arguments.dropFirst())
var limits = AnalysisLimits()
var reps = 3
var tsvPath: String? = nil
var models: [String] = []
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--reps":
        guard let v = args.first.flatMap({ Int($0) }), v > 0 else { fail("--reps needs a positive number") }
        reps = v; args.removeFirst()
    case "--paths-per-group":
        guard let v = args.first.flatMap({ Int($0) }), v > 0 else { fail("--paths-per-group needs a positive number") }
        limits.pathsPerGroup = v; args.removeFirst()
    case "--tsv":
        guard let v = args.first else { fail("--tsv needs a file") }
        tsvPath = v; args.removeFirst()
    case "-h", "--help":
        print("usage: agentpath-bench [--reps N] [--paths-per-group N] [--tsv FILE] MODEL...")
        exit(0)
    default:
        models.append(a)
    }
}
if models.isEmpty { fail("give at least one model file (usage: agentpath-bench [--reps N] [--paths-per-group N] [--tsv FILE] MODEL...)") }

// Fixed costs, paid once per process and not per model: the framework catalogs and templates.
let fixedStart = now()
guard let frameworkDir = FrameworkLoader.builtinDirectory() else { fail("cannot find frameworks/; set AGENTPATH_HOME") }
let frameworkDiagnostics = DiagnosticCollector()
let frameworks = FrameworkLoader(knownRules: RuleRegistry.ids).load(directories: [frameworkDir], diagnostics: frameworkDiagnostics)
if frameworkDiagnostics.hasErrors { fail("the built-in framework data is invalid") }
let policyTemplates: PolicyTemplates
let reportTemplates: ReportTemplates
do {
    policyTemplates = try PolicyTemplates.builtin()
    reportTemplates = try ReportTemplates.locate()
} catch {
    fail("\(error)")
}
let fixedSeconds = now() - fixedStart
print("fixed cost (framework catalogs and templates, once per process): \(ms(fixedSeconds)) ms; \(reps) repetitions per stage")

// Rows are printed and written to the TSV as each stage finishes, so a crash or a timeout in
// a late stage keeps the earlier ones.
nonisolated(unsafe) var tsvFile: UnsafeMutablePointer<FILE>? = nil
if let tsvPath {
    tsvFile = fopen(tsvPath, "w")
    if tsvFile == nil { fail("cannot write \(tsvPath)") }
}
func tsvRow(_ fields: [String]) {
    guard let tsvFile else { return }
    fputs(fields.joined(separator: "\t") + "\n", tsvFile)
    fflush(tsvFile)
}
tsvRow(["model", "stage", "median_s", "best_s", "bytes"])

for path in models {
    var timings: [Timing] = []
    func report(_ t: Timing) {
        print("  " + pad(t.stage, 20) + pad(ms(t.median), 11, right: true) + pad(ms(t.best), 11, right: true)
            + pad(t.bytes.map(String.init) ?? "", 15, right: true))
        tsvRow([path, t.stage, String(t.median), String(t.best), t.bytes.map(String.init) ?? ""])
        fflush(nil)  // all streams: the row is out before the next stage starts
    }
    print("")
    print("\(path):")
    print("  " + pad("stage", 20) + pad("median ms", 11, right: true) + pad("best ms", 11, right: true) + pad("output bytes", 15, right: true))
    let diagnostics = DiagnosticCollector()
    let model = measure("parse", reps: reps, into: &timings) { ModelLoader().load(path: path, diagnostics: DiagnosticCollector()) }
    guard let model else {
        _ = ModelLoader().load(path: path, diagnostics: diagnostics)
        fail("\(path): does not parse:\n\(DiagnosticsEmitter.text(Array(diagnostics.sorted.prefix(5)), color: false))")
    }
    report(timings.last!)
    let validated = measure("validate", reps: reps, into: &timings) { ModelValidator(diagnostics: DiagnosticCollector()).validate(model) }
    _ = ModelValidator(diagnostics: diagnostics).validate(model)
    guard let validated, !diagnostics.hasErrors else {
        fail("\(path): invalid:\n\(DiagnosticsEmitter.text(Array(diagnostics.sorted.prefix(5)), color: false))")
    }
    report(timings.last!)
    tsvRow([path, "elements", String(validated.model.elementCount), "", ""])
    let graphSize = measure("graph", reps: reps, into: &timings) { () -> Int in
        // What Analyzer.analyze builds before it runs the rules.
        let ctx = AnalysisContext(validated)
        let evaluator = ControlEvaluator(ctx)
        let origins = ctx.origins(evaluator: evaluator)
        var hopSteps: [String: PathStep] = [:]
        let influences = origins.map { Influence(origin: $0, ctx: ctx, evaluator: evaluator, hopSteps: &hopSteps) }
        return influences.reduce(0) { $0 + $1.order.count }
    }
    report(timings.last!)
    let analysis = measure("analyze", reps: reps, into: &timings) { Analyzer(frameworks: frameworks, limits: limits).analyze(validated) }
    report(timings.last!)
    let graphMedian = timings.first { $0.stage == "graph" }!.median
    let analyzeMedian = timings.first { $0.stage == "analyze" }!.median
    print("  " + pad("(paths = analyze − graph)", 20) + pad(ms(max(0, analyzeMedian - graphMedian)), 11, right: true))
    let paths = analysis.paths
    let open = paths.filter { $0.status == .open }.count
    let truncated = analysis.truncated.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    tsvRow([path, "path_findings", String(paths.count), "", ""])
    tsvRow([path, "peak_rss_kb_after_analyze", String(peakRSSkB()), "", ""])
    let files = validated.model.files
    let gate = Gate()
    func emit(_ stage: String, _ body: () -> Int) {
        let bytes = measure(stage, reps: reps, into: &timings, body)
        timings[timings.count - 1].bytes = bytes
        report(timings.last!)
    }
    emit("emit findings.json") { FindingsJSON.emit(analysis, files: files).utf8.count }
    emit("emit findings.txt") { FindingsText.emit(analysis, files: files).utf8.count }
    emit("emit SARIF") { SARIFEmitter.emit(analysis, files: files, gate: gate, toolVersion: "bench").utf8.count }
    emit("emit report.html") {
        ReportHTML.render(model: validated, analysis: analysis, frameworks: frameworks, gate: gate, templates: reportTemplates).utf8.count
    }
    emit("emit policies") {
        PolicyEmitter.files(for: validated, analysis: analysis, templates: policyTemplates).reduce(0) { $0 + $1.bytes.count }
    }
    // Last: the JUnit emitter goes through FoundationXML (libxml2), which has crashed on a
    // 10k-element model (docs/performance.md); the other stages are recorded before it.
    emit("emit JUnit") { JUnitEmitter.emit(analysis, files: files, gate: gate).utf8.count }
    let rss = peakRSSkB()
    let total = timings.filter { $0.stage != "graph" }.reduce(0) { $0 + $1.median }
    print("  " + pad("total (w/o graph)", 20) + pad(ms(total), 11, right: true))
    print("  \(validated.model.elementCount) elements, \(diagnostics.warningCount) warnings; \(paths.count) path findings (\(open) open), "
        + "\(analysis.governance.count) governance findings, \(graphSize) agents reached over all entry points")
    print("  limits: \(analysis.limits.pathsPerGroup) paths per group, \(analysis.limits.findingsPerRule) findings per rule, "
        + "\(analysis.limits.entriesListed) entries listed per finding; rules stopped at a limit: \(truncated.isEmpty ? "none" : truncated.joined(separator: ", "))")
    print("  peak RSS so far: \(rss) kB")
    tsvRow([path, "peak_rss_kb", String(rss), "", ""])
}
if let tsvFile { fclose(tsvFile) }
