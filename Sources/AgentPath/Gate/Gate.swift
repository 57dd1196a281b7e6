/// The CI gate: which findings fail a run. Only attack paths gate; governance findings are
/// reported but never fail the build on their own.
public struct Gate: Sendable, Hashable {
    /// The lowest severity that fails; nil never fails (`--fail-on none`).
    public var failOn: FindingSeverity?

    public init(failOn: FindingSeverity? = .high) { self.failOn = failOn }

    public func fails(_ f: Finding) -> Bool {
        guard let failOn, f.isPath, f.status != .mitigated else { return false }
        return f.severity >= failOn
    }

    public func failing(_ r: AnalysisResult) -> [Finding] { r.findings.filter(fails) }

    public func passes(_ r: AnalysisResult) -> Bool { failing(r).isEmpty }

    public static func parse(_ text: String) -> Gate? {
        if text == "none" { return Gate(failOn: nil) }
        guard let s = FindingSeverity(rawValue: text), s != .info else { return nil }
        return Gate(failOn: s)
    }
}

/// What the gate made of one finding.
public enum GateVerdict: String, Sendable, Hashable, CaseIterable {
    /// Fails the gate: an open path at or above the threshold, neither waived nor in the baseline.
    case fail
    /// Below the threshold, mitigated, or governance.
    case pass
    /// Accepted by an unexpired waiver: reported everywhere, marked accepted, never fails.
    case waived
    /// Would fail, but the baseline already holds it (`check --baseline`).
    case baseline
}

/// One finding with its verdict and what decided it.
public struct GateEntry: Sendable {
    public var finding: Finding
    public var verdict: GateVerdict
    /// The unexpired waiver that accepts it.
    public var waiver: Waiver?
    /// A waiver for it that has expired (it no longer accepts the finding).
    public var expiredWaiver: Waiver?
    /// The baseline's record of it, when a baseline was given and holds its fingerprint.
    public var baselineRecord: FindingRecord?

    /// SARIF's `baselineState`: new, unchanged, or updated (another severity or status).
    public var baselineState: String {
        guard let b = baselineRecord else { return "new" }
        return b.severity == finding.severity && b.status == finding.status ? "unchanged" : "updated"
    }
}

/// Where each waiver stands this run.
public struct WaiverReport: Sendable {
    public enum State: String, Sendable { case active, expired, unmatched }
    public var waiver: Waiver
    public var state: State
}

/// The gate's evaluation of one analysis: a verdict per finding (in the analysis order),
/// the waivers' states, and the diagnostics about them. Analysis results are not changed.
public struct GateResult: Sendable {
    public var gate: Gate
    public var entries: [GateEntry]
    public var waivers: [WaiverReport]
    /// Expired waivers (errors) and unmatched ones (warnings), located in the waivers file.
    public var diagnostics: [Diagnostic]
    public var today: CalendarDate
    public var usedBaseline: Bool
    /// The file table of the waivers' locations.
    public var waiverFiles: SourceFiles

    public var failing: [Finding] { entries.filter { $0.verdict == .fail }.map(\.finding) }
    public var expiredWaivers: [Waiver] { waivers.filter { $0.state == .expired }.map(\.waiver) }
    public var unmatchedWaivers: [Waiver] { waivers.filter { $0.state == .unmatched }.map(\.waiver) }
    /// Nothing fails and no waiver has expired.
    public var passed: Bool { !entries.contains { $0.verdict == .fail } && expiredWaivers.isEmpty }

    public func count(_ v: GateVerdict) -> Int { entries.count { $0.verdict == v } }

    public func entry(_ fingerprint: String) -> GateEntry? { entries.first { $0.finding.fingerprint == fingerprint } }
}

extension Gate {
    /// Judges every finding. `today` decides which waivers have expired; pass it in (tests pin
    /// it; the command line takes the UTC date or `--today`).
    public func evaluate(_ r: AnalysisResult, waivers: WaiverSet? = nil, baseline: Baseline? = nil, today: CalendarDate) -> GateResult {
        let diagnostics = DiagnosticCollector()
        diagnostics.files = waivers?.files ?? SourceFiles()
        let byFingerprint = Dictionary((waivers?.waivers ?? []).map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        var matched = Set<String>()
        var entries: [GateEntry] = []
        entries.reserveCapacity(r.findings.count)
        for f in r.findings {
            var entry = GateEntry(finding: f, verdict: .pass)
            entry.baselineRecord = baseline?.record(f.fingerprint)
            if let w = byFingerprint[f.fingerprint] {
                matched.insert(w.fingerprint)
                if w.isExpired(on: today) { entry.expiredWaiver = w } else { entry.waiver = w }
            }
            if entry.waiver != nil {
                entry.verdict = .waived
            } else if fails(f) {
                entry.verdict = baseline?.covers(f) == true ? .baseline : .fail
            }
            entries.append(entry)
        }
        var reports: [WaiverReport] = []
        let findingsByFingerprint = Dictionary(r.findings.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
        // Did-you-mean for unmatched waivers compares with every fingerprint: collected once,
        // and only the first `suggestionLimit` unmatched waivers get a suggestion, so a long
        // stale waivers file stays linear in the findings.
        var fingerprints: [String]?
        var suggestions = 0
        for w in waivers?.waivers ?? [] {
            if w.isExpired(on: today) {
                reports.append(WaiverReport(waiver: w, state: .expired))
                let days = w.expires.days(until: today)
                let what = matched.contains(w.fingerprint) ? "" : " (it matches no finding now: remove it)"
                diagnostics.error(.waiverExpired, "the waiver for \(w.fingerprint) (owner \(w.owner), \(w.framework)) expired on \(w.expires), \(days) day\(days == 1 ? "" : "s") ago\(what); renew it with a new date after review, or fix the finding", at: w.expiresLocation)
            } else if matched.contains(w.fingerprint) {
                reports.append(WaiverReport(waiver: w, state: .active))
                let f = findingsByFingerprint[w.fingerprint]!
                if let rule = w.rule, rule != f.rule {
                    diagnostics.warning(.waiverMismatch, "the waiver for \(w.fingerprint) says rule \(rule) but the finding is \(f.rule) (\(f.title))", at: w.ruleLocation ?? w.fingerprintLocation)
                }
                if let ref = w.frameworkRef, !f.frameworks.isEmpty, !f.frameworks.contains(ref) {
                    diagnostics.warning(.waiverMismatch, "the waiver for \(w.fingerprint) names \(w.framework), which the finding does not map to; it maps to \(f.frameworks.prefix(6).map(\.id).joined(separator: ", "))\(f.frameworks.count > 6 ? ", …" : "")", at: w.frameworkLocation)
                }
            } else {
                reports.append(WaiverReport(waiver: w, state: .unmatched))
                var hint = ""
                if suggestions < Self.suggestionLimit {
                    suggestions += 1
                    if fingerprints == nil { fingerprints = r.findings.map(\.fingerprint) }
                    hint = Suggest.hint(w.fingerprint, in: fingerprints!)
                }
                diagnostics.warning(.unmatchedWaiver, "the waiver for \(w.fingerprint) (owner \(w.owner)) matches no finding\(hint); remove it, or correct the fingerprint", at: w.fingerprintLocation)
            }
        }
        return GateResult(gate: self, entries: entries, waivers: reports, diagnostics: diagnostics.sorted, today: today, usedBaseline: baseline != nil, waiverFiles: waivers?.files ?? SourceFiles())
    }

    /// How many unmatched waivers get a did-you-mean fingerprint.
    static let suggestionLimit = 20

    /// The verdicts under the threshold alone. With no waiver nothing can expire, so the day
    /// does not matter; the result's `today` is a fixed placeholder, never the clock.
    public func evaluateWithoutWaivers(_ r: AnalysisResult) -> GateResult {
        evaluate(r, today: CalendarDate(year: 1970, month: 1, day: 1)!)
    }

    /// The threshold in words: "high or above", "(gate off)".
    public var thresholdText: String { failOn.map { "\($0.rawValue) or above" } ?? "(gate off)" }

    public var failOnText: String { failOn?.rawValue ?? "none" }
}
