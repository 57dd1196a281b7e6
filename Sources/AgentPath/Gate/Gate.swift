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
